import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CouponEntity } from './coupon/coupon.entity';
import { CouponEventEntity } from './coupon/coupon-event.entity';
import { CouponIssuerService } from './coupon/coupon-issuer.service';
import { CouponRedeemerService } from './coupon/coupon-redeemer.service';
import { CouponEventsService } from './coupon/coupon-events.service';
import { RedemptionAttemptEntity } from './coupon/redemption-attempt.entity';
import { MerchantEntity } from './merchant/merchant.entity';
import { MerchantsService } from './merchant/merchants.service';
import { MerchantKeysService } from './merchant/merchant-keys.service';
import { MerchantUsersService } from './merchant/merchant-users.service';
import { PromotionEntity } from './promotion/promotion.entity';
import { PromotionsService } from './promotion/promotions.service';
import { CampaignsService } from './campaign/campaigns.service';
import { ContactsService } from './contact/contacts.service';

/** Every entity of this lib, for a DataSource built by hand (tests, scripts, benchmarks). */
export const CAMPAIGN_ENTITIES = [PromotionEntity, MerchantEntity, CouponEntity, RedemptionAttemptEntity, CouponEventEntity];

const services = [PromotionsService, MerchantsService, MerchantKeysService, MerchantUsersService, CouponIssuerService, CouponRedeemerService, CouponEventsService, CampaignsService, ContactsService];

/** Promotions, merchants and coupons. Needs TenancyModule (for TenantDatabase) in the app. */
@Module({
  imports: [TypeOrmModule.forFeature(CAMPAIGN_ENTITIES)],
  providers: services,
  exports: services,
})
export class CampaignModule {}
