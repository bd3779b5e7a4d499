/** An id no row has: an allowed caller gets NOT_FOUND, which is still not FORBIDDEN. */
const MISSING = '00000000-0000-4000-8000-000000000000';

type Caller = 'operator' | 'ADMIN' | 'MARKETER' | 'ANALYST' | 'MERCHANT';
const READERS: Caller[] = ['ADMIN', 'MARKETER', 'ANALYST'];
const RUNNERS: Caller[] = ['ADMIN', 'MARKETER'];
const ADMIN: Caller[] = ['ADMIN'];
const ADMIN_ANALYST: Caller[] = ['ADMIN', 'ANALYST'];

const CAMPAIGN = `{ name: "Matrix", listId: "${MISSING}", callerId: "+14155550100", answerUrl: "https://crm.example/answer", callsPerSecond: 1, maxConcurrentCalls: 1 }`;

/** The operations of issue #6 (promotions, merchants, webhooks, contacts, campaigns, observing) and who may call them. */
export const NEW_OPERATIONS: { name: string; allowed: Caller[]; query: () => string }[] = [
  { name: 'promotions', allowed: READERS, query: () => '{ promotions(first: 5) { edges { cursor } pageInfo { hasNextPage } } }' },
  { name: 'promotion', allowed: READERS, query: () => `{ promotion(id: "${MISSING}") { id } }` },
  {
    name: 'createPromotion',
    allowed: RUNNERS,
    query: () => 'mutation { createPromotion(input: { name: "P", offer: "Coffee", discount: "10%", validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" }) { id } }',
  },
  { name: 'merchants', allowed: READERS, query: () => '{ merchants { edges { node { id } } } }' },
  { name: 'merchant', allowed: READERS, query: () => `{ merchant(id: "${MISSING}") { id } }` },
  { name: 'createMerchant', allowed: ADMIN, query: () => 'mutation { createMerchant(input: { name: "Till 1" }) { id } }' },
  { name: 'merchantUsers', allowed: ADMIN, query: () => `{ merchantUsers(merchantId: "${MISSING}") { id } }` },
  {
    name: 'createMerchantUser',
    allowed: ADMIN,
    query: () => `mutation { createMerchantUser(input: { merchantId: "${MISSING}", email: "till@shop.example", password: "correct horse battery" }) { id } }`,
  },
  { name: 'bindMerchantKey', allowed: ADMIN, query: () => `mutation { bindMerchantKey(input: { apiKeyId: "${MISSING}", merchantId: "${MISSING}" }) { apiKeyId } }` },
  { name: 'webhookEndpoints', allowed: ADMIN_ANALYST, query: () => '{ webhookEndpoints { edges { node { id } } } }' },
  {
    name: 'createWebhookEndpoint',
    allowed: ADMIN,
    query: () => 'mutation { createWebhookEndpoint(input: { url: "https://crm.example/hooks", events: ["coupon.redeemed"] }) { secret } }',
  },
  { name: 'setWebhookEndpointEnabled', allowed: ADMIN, query: () => `mutation { setWebhookEndpointEnabled(id: "${MISSING}", enabled: false) { id } }` },
  { name: 'removeWebhookEndpoint', allowed: ADMIN, query: () => `mutation { removeWebhookEndpoint(id: "${MISSING}") }` },
  { name: 'webhookDeliveries', allowed: ADMIN_ANALYST, query: () => '{ webhookDeliveries(status: DEAD) { edges { node { id } } } }' },
  { name: 'replayWebhookDelivery', allowed: ADMIN, query: () => `mutation { replayWebhookDelivery(id: "${MISSING}") { id } }` },
  { name: 'contactLists', allowed: READERS, query: () => '{ contactLists { edges { node { id } } } }' },
  { name: 'contactList', allowed: READERS, query: () => `{ contactList(id: "${MISSING}") { id } }` },
  { name: 'contacts', allowed: READERS, query: () => `{ contacts(listId: "${MISSING}") { edges { node { id } } } }` },
  { name: 'createContactList', allowed: RUNNERS, query: () => 'mutation { createContactList(name: "Matrix list") { id } }' },
  { name: 'importContacts', allowed: RUNNERS, query: () => `mutation { importContacts(listId: "${MISSING}", csv: "phone\\n+14155550101") { imported } }` },
  { name: 'optOuts', allowed: READERS, query: () => '{ optOuts { edges { node { phone } } } }' },
  { name: 'addOptOut', allowed: RUNNERS, query: () => 'mutation { addOptOut(phone: "+14155550199") { phone } }' },
  { name: 'removeOptOut', allowed: RUNNERS, query: () => 'mutation { removeOptOut(phone: "+14155550198") { phone } }' },
  { name: 'campaigns', allowed: READERS, query: () => '{ campaigns { edges { node { id progress { contacts } } } } }' },
  { name: 'campaign', allowed: READERS, query: () => `{ campaign(id: "${MISSING}") { id } }` },
  { name: 'createCampaign', allowed: RUNNERS, query: () => `mutation { createCampaign(input: ${CAMPAIGN}) { id } }` },
  { name: 'launchCampaign', allowed: RUNNERS, query: () => `mutation { launchCampaign(id: "${MISSING}") { id } }` },
  { name: 'pauseCampaign', allowed: RUNNERS, query: () => `mutation { pauseCampaign(id: "${MISSING}") { id } }` },
  { name: 'resumeCampaign', allowed: RUNNERS, query: () => `mutation { resumeCampaign(id: "${MISSING}") { id } }` },
  { name: 'cancelCampaign', allowed: RUNNERS, query: () => `mutation { cancelCampaign(id: "${MISSING}") { id } }` },
  { name: 'callRecords', allowed: READERS, query: () => '{ callRecords(filter: { outcome: "completed" }) { edges { node { callSid } } } }' },
  { name: 'funnel', allowed: READERS, query: () => '{ funnel { issued redeemed revenue } }' },
  { name: 'coupons', allowed: READERS, query: () => '{ coupons(search: { serial: "7KQ4M-2XD9P-HT3QR" }) { edges { node { id } } } }' },
];
