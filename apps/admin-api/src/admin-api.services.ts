import { CampaignListingService, ContactImportService, ContactListingService, CouponSearchService, OptOutsService, PromotionListingService } from '@ringflow/campaign';
import { CallRecordSearch } from './observe/call-record-search';

/** Read-side and import services the admin API provides itself (the lib's modules do not). */
export const adminApiServices = [PromotionListingService, ContactImportService, ContactListingService, OptOutsService, CampaignListingService, CouponSearchService, CallRecordSearch];
