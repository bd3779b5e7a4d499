import { isUuid } from '@ringflow/tenancy';

/** The ids a campaign call carries in its gateway URLs (never a phone number). */
export interface CampaignCallRef {
  tenantId: string;
  campaignId: string;
  attemptId: string;
}

const query = (ref: CampaignCallRef) => new URLSearchParams({ tenantId: ref.tenantId, campaignId: ref.campaignId, attemptId: ref.attemptId }).toString();

/** Where Twilio posts a campaign call's final status: the gateway's status route, with the attempt's ids. */
export function campaignStatusCallbackUrl(publicBaseUrl: string, ref: CampaignCallRef): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/twilio/voice/status?${query(ref)}`;
}

/** Where Twilio fetches a flow campaign's first TwiML: the gateway's voice route, with the attempt's ids. */
export function campaignAnswerUrl(publicBaseUrl: string, ref: CampaignCallRef): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/twilio/voice?${query(ref)}`;
}

/** The attempt a gateway request is about (its query string), or null when it is not a campaign call's. */
export function campaignCallRefOf(params: URLSearchParams | Record<string, string | undefined>): CampaignCallRef | null {
  const get = (name: string) => (params instanceof URLSearchParams ? params.get(name) : params[name]) ?? '';
  const ref = { tenantId: get('tenantId'), campaignId: get('campaignId'), attemptId: get('attemptId') };
  return isUuid(ref.tenantId) && isUuid(ref.campaignId) && isUuid(ref.attemptId) ? ref : null;
}
