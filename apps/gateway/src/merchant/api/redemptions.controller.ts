import { Body, Controller, Headers, Post, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth, ApiBody, ApiConflictResponse, ApiForbiddenResponse, ApiGoneResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation,
  ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CouponException, MerchantKeysService } from '@ringflow/campaign';
import { Allow, CurrentPrincipal, TenancyException, tenantOf, type Principal, type TenantId } from '@ringflow/tenancy';
import { clientIp } from '../client-ip';
import { ErrorBody } from '../../openapi/error-body.schema';
import { RedemptionDesk } from '../redemption-desk.service';
import { CouponErrorFilter } from './coupon-error.filter';
import { MerchantKeyCache } from './merchant-key-cache';
import { redemptionRequestOf } from './redemption-request';
import { RedeemedAnswer, RedemptionRequestBody, RefusedRedemption, SlowedRedemption } from './redemption.schemas';
import { redemptionResponse, slowDownResponse } from './redemption-response';

/**
 * A point-of-sale system redeems a serial with a merchant key, which is bound to one merchant of its tenant
 * (MerchantKeysService.bind). A serial of another tenant is simply unknown.
 */
@ApiTags('redemptions')
@ApiBearerAuth('api-key')
@Controller('api/v1/redemptions')
@UseFilters(CouponErrorFilter)
export class RedemptionsController {
  private readonly merchants = new MerchantKeyCache();

  constructor(
    private readonly desk: RedemptionDesk,
    private readonly keys: MerchantKeysService,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'redeemCoupon', summary: "Redeem a coupon serial at the key's merchant (merchant key)" })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same as the body field idempotencyKey; a retry with the same key answers as the first request did' })
  @ApiBody({ type: RedemptionRequestBody })
  @ApiOkResponse({ type: RedeemedAnswer, description: 'Redeemed now (or, replayed, by this same request before)' })
  @ApiUnauthorizedResponse({ type: ErrorBody, description: 'No API key, or not a valid one' })
  @ApiForbiddenResponse({ type: ErrorBody, description: 'Not a merchant key, or a key not bound to a merchant' })
  @ApiNotFoundResponse({ type: RefusedRedemption, description: "Unknown serial (a serial of another tenant too), or the merchant's promotion is gone" })
  @ApiConflictResponse({ type: RefusedRedemption, description: 'Already redeemed (when and where), or the idempotency key was used for another request' })
  @ApiGoneResponse({ type: RefusedRedemption, description: 'The coupon has expired' })
  @ApiUnprocessableEntityResponse({ type: RefusedRedemption, description: 'Malformed serial, failed check character, invalid body, or promotion not active' })
  @ApiTooManyRequestsResponse({
    type: SlowedRedemption, description: 'Too many attempts from this key or address',
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  })
  @Allow('merchant')
  async redeem(
    @CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (principal.kind !== 'api-key') throw new TenancyException('forbidden', 'only a merchant key may redeem');
    const tenantId = tenantOf(principal);
    const input = redemptionRequestOf(body, idempotencyKey);
    const merchantId = await this.merchantOf(tenantId, principal.keyId);
    const answer = await this.desk
      .redeem({ tenantId, merchantId, credential: `api-key:${principal.keyId}`, ip: clientIp(request), ...input })
      .catch((error: unknown) => {
        // The merchant was deleted after its binding was remembered: deleting it dropped the binding.
        if (!(error instanceof CouponException && error.code === 'merchant-not-found')) throw error;
        this.merchants.forget(tenantId, principal.keyId);
        throw unbound();
      });
    if (answer.kind === 'slowed') reply.header('Retry-After', String(answer.retryAfterSeconds));
    const response = answer.kind === 'slowed' ? slowDownResponse(answer.retryAfterSeconds) : redemptionResponse(answer.result);
    reply.status(response.status);
    return response.body;
  }

  private async merchantOf(tenantId: TenantId, keyId: string): Promise<string> {
    const remembered = this.merchants.get(tenantId, keyId);
    if (remembered) return remembered;
    const merchant = await this.keys.merchantOfKey(tenantId, keyId);
    if (!merchant) throw unbound();
    this.merchants.set(tenantId, keyId, merchant.id);
    return merchant.id;
  }
}

function unbound(): TenancyException {
  return new TenancyException('forbidden', 'this merchant key is not bound to a merchant; a tenant admin binds it to one first');
}
