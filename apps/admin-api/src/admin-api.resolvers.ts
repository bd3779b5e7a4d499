import { AgentResolver } from './agent/agent.resolver';
import { CallQueueResolver } from './agent/call-queue.resolver';
import { ApiKeyResolver } from './api-key/api-key.resolver';
import { CampaignResolver } from './campaign/campaign.resolver';
import { ContactResolver } from './contact/contact.resolver';
import { FlowResolver } from './flow/flow.resolver';
import { MerchantResolver } from './merchant/merchant.resolver';
import { ObserveResolver } from './observe/observe.resolver';
import { PhoneNumberResolver } from './phone-number/phone-number.resolver';
import { LiveResolver } from './subscription/live.resolver';
import { PromotionResolver } from './promotion/promotion.resolver';
import { SmtpSettingsResolver } from './smtp-settings/smtp-settings.resolver';
import { TenantResolver } from './tenant/tenant.resolver';
import { TwilioCredentialsResolver } from './twilio-credentials/twilio-credentials.resolver';
import { WebhookResolver } from './webhook/webhook.resolver';

/** Every resolver of the admin API: the module serves them and the schema generator prints them. */
export const adminApiResolvers = [
  TenantResolver, ApiKeyResolver, PhoneNumberResolver, TwilioCredentialsResolver, FlowResolver, AgentResolver, CallQueueResolver,
  PromotionResolver, MerchantResolver, WebhookResolver, ContactResolver, CampaignResolver, ObserveResolver, LiveResolver,
  SmtpSettingsResolver,
];
