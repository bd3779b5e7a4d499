import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { CampaignDialingModule, CampaignModule, CouponTrackingModule } from '@ringflow/campaign';
import { secretsKeyBytes } from '@ringflow/config';
import { DataStoresModule, dataStoresReadiness } from '@ringflow/database';
import { FlowStoreModule } from '@ringflow/flow-store';
import { ObservabilityModule } from '@ringflow/observability';
import { PullQueueModule } from '@ringflow/pull-queue';
import { SessionModule } from '@ringflow/session';
import { TelephonyModule } from '@ringflow/telephony';
import { TenancyModule } from '@ringflow/tenancy';
import { CallsController } from './calls/calls.controller';
import { GATEWAY_CONFIG, type GatewayConfig } from './gateway.config';
import { DomainErrorFilter } from './http/domain-error.filter';
import { MerchantModule } from './merchant/merchant.module';
import { CallCampaignLink } from './ports/call-campaign-link';
import { CouponIssuingPort } from './ports/coupon-issuing.port';
import { emailPortProviders } from './ports/email-port.providers';
import { FlowPortsProvider } from './ports/flow-ports.provider';
import { FlowSmsPort } from './ports/flow-sms.port';
import { OptOutPort } from './ports/opt-out.port';
import { pullQueueProviders } from './queue/pull-queue.providers';
import { InboundMessageOnce } from './sms/inbound-message-once';
import { sweeperProviders } from './sweeper/sweeper.providers';
import { SmsWebhookController } from './sms/sms-webhook.controller';
import { NumberOwners } from './twilio/number-owners';
import { TenantVoiceSettings } from './twilio/tenant-voice-settings';
import { TwilioWebhookVerifier } from './twilio/twilio-webhook-verifier';
import { CallStatusService } from './voice/call-status.service';
import { CampaignAnswerFlow } from './voice/campaign-answer-flow';
import { RequestFingerprint } from './voice/request-fingerprint';
import { VoiceMetrics } from './voice/voice-metrics';
import { VoiceStepService } from './voice/voice-step.service';
import { VoiceWebhookController } from './voice/voice-webhook.controller';
import { WaitNodeHold } from './voice/wait-node-hold';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const secretsKey = secretsKeyBytes(config.SECRETS_KEY)!;
    return {
      module: GatewayModule,
      imports: [
        // The request context is opened by createHttpApp's hook (request id as `requestId`), not by the middleware.
        ClsModule.forRoot({ global: true }),
        DataStoresModule.forRoot({ app: 'gateway', databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL }),
        ObservabilityModule.forRoot({ app: 'gateway', http: true, readiness: dataStoresReadiness }),
        TenancyModule.forRoot({ operatorApiKey: config.OPERATOR_API_KEY, secretsKey, guardEverything: true }),
        FlowStoreModule,
        SessionModule,
        MerchantModule.forRoot(config),
        PullQueueModule,
        TelephonyModule,
        CampaignModule,
        CouponTrackingModule.forRoot({ secretsKey, namespace: config.QUEUE_NAMESPACE }),
        CampaignDialingModule.forRoot({ namespace: config.QUEUE_NAMESPACE }),
      ],
      controllers: [VoiceWebhookController, SmsWebhookController, CallsController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: RequestFingerprint, useValue: new RequestFingerprint(secretsKey) },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        TenantVoiceSettings,
        NumberOwners,
        TwilioWebhookVerifier,
        CallCampaignLink,
        CouponIssuingPort,
        FlowSmsPort,
        ...emailPortProviders,
        OptOutPort,
        FlowPortsProvider,
        InboundMessageOnce,
        VoiceMetrics,
        VoiceStepService,
        WaitNodeHold,
        CallStatusService,
        CampaignAnswerFlow,
        ...pullQueueProviders,
        ...sweeperProviders,
      ],
    };
  }
}
