import { Foundation1764000000000 } from './1764000000000-foundation';
import { FlowsAndCalls1764000100000 } from './1764000100000-flows-and-calls';
import { Coupons1764000200000 } from './1764000200000-coupons';
import { Campaigns1764000300000 } from './1764000300000-campaigns';
import { MerchantUsers1764000400000 } from './1764000400000-merchant-users';
import { TrackingAndWebhooks1764000500000 } from './1764000500000-tracking-and-webhooks';
import { AgentsAndQueues1764000600000 } from './1764000600000-agents-and-queues';
import { TenantVoiceSettings1764000700000 } from './1764000700000-tenant-voice-settings';
import { ContactAttributes1764000900000 } from './1764000900000-contact-attributes';
import { SmsCampaigns1764001000000 } from './1764001000000-sms-campaigns';
import { CouponSmsUnconfirmed1764001100000 } from './1764001100000-coupon-sms-unconfirmed';
import { TenantIdsForSweeper1764001200000 } from './1764001200000-tenant-ids-for-sweeper';
import { SmtpSettings1764001500000 } from './1764001500000-smtp-settings';
import { CampaignAttemptsReconcile1764001600000 } from './1764001600000-campaign-attempts-reconcile';
import { AudienceStatistics1764001700000 } from './1764001700000-audience-statistics';

/** Every migration in order; the runner and the test template apply exactly these. */
export const migrations = [Foundation1764000000000, FlowsAndCalls1764000100000, Coupons1764000200000, Campaigns1764000300000, MerchantUsers1764000400000, TrackingAndWebhooks1764000500000, AgentsAndQueues1764000600000, TenantVoiceSettings1764000700000, ContactAttributes1764000900000, SmsCampaigns1764001000000, CouponSmsUnconfirmed1764001100000, TenantIdsForSweeper1764001200000, SmtpSettings1764001500000, CampaignAttemptsReconcile1764001600000, AudienceStatistics1764001700000];
