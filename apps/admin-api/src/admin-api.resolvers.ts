import { AgentResolver } from './agent/agent.resolver';
import { CallQueueResolver } from './agent/call-queue.resolver';
import { ApiKeyResolver } from './api-key/api-key.resolver';
import { FlowResolver } from './flow/flow.resolver';
import { PhoneNumberResolver } from './phone-number/phone-number.resolver';
import { TenantResolver } from './tenant/tenant.resolver';
import { TwilioCredentialsResolver } from './twilio-credentials/twilio-credentials.resolver';

/** Every resolver of the admin API: the module serves them and the schema generator prints them. */
export const adminApiResolvers = [TenantResolver, ApiKeyResolver, PhoneNumberResolver, TwilioCredentialsResolver, FlowResolver, AgentResolver, CallQueueResolver];
