import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { CampaignModule } from '@ringflow/campaign';
import { RedemptionsController } from './api/redemptions.controller';
import { SignInLimiter } from './limits/sign-in-limiter';
import { RedemptionLimiter } from './limits/redemption-limiter';
import { merchantBodyLimit } from './merchant-body-limit';
import { loadMerchantSettings, MERCHANT_SETTINGS } from './merchant.config';
import { RedemptionDesk } from './redemption-desk.service';
import { MerchantPageController } from './web/merchant-page.controller';
import { MerchantSessions } from './web/merchant-sessions';

/**
 * Merchants redeem serials: `POST /api/v1/redemptions` with a merchant key bound to one merchant, and the
 * `/merchant` web page for signed-in merchant users. Needs the gateway's DataStoresModule and TenancyModule.
 */
@Module({})
export class MerchantModule implements NestModule {
  static forRoot(config: { PUBLIC_BASE_URL: string }, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: MerchantModule,
      imports: [CampaignModule],
      controllers: [RedemptionsController, MerchantPageController],
      providers: [
        { provide: MERCHANT_SETTINGS, useValue: loadMerchantSettings(config.PUBLIC_BASE_URL, env) },
        RedemptionLimiter,
        SignInLimiter,
        RedemptionDesk,
        MerchantSessions,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(merchantBodyLimit)
      .forRoutes({ path: 'api/v1/redemptions', method: RequestMethod.POST }, { path: 'merchant/*path', method: RequestMethod.POST });
  }
}
