import { Body, Controller, Headers, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MerchantKeysService } from '@ringflow/campaign';
import { Allow, CurrentPrincipal, TenancyException, tenantOf, type Principal } from '@ringflow/tenancy';
import { clientIp } from '../client-ip';
import { RedemptionDesk } from '../redemption-desk.service';
import { CouponErrorFilter } from './coupon-error.filter';
import { redemptionRequestOf } from './redemption-request';
import { redemptionResponse, slowDownResponse } from './redemption-response';

/**
 * A point-of-sale system redeems a serial with a merchant key, which is bound to one merchant of its tenant
 * (MerchantKeysService.bind). A serial of another tenant is simply unknown.
 */
@Controller('api/v1/redemptions')
@UseFilters(CouponErrorFilter)
export class RedemptionsController {
  constructor(
    private readonly desk: RedemptionDesk,
    private readonly keys: MerchantKeysService,
  ) {}

  @Post()
  @Allow('merchant')
  async redeem(
    @CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (principal.kind !== 'api-key') throw new TenancyException('forbidden', 'only a merchant key may redeem');
    const tenantId = tenantOf(principal);
    const input = redemptionRequestOf(body, idempotencyKey);
    const merchant = await this.keys.merchantOfKey(tenantId, principal.keyId);
    if (!merchant) throw new TenancyException('forbidden', 'this merchant key is not bound to a merchant; a tenant admin binds it to one first');
    const answer = await this.desk.redeem({ tenantId, merchantId: merchant.id, credential: `api-key:${principal.keyId}`, ip: clientIp(request), ...input });
    if (answer.kind === 'slowed') reply.header('Retry-After', String(answer.retryAfterSeconds));
    const response = answer.kind === 'slowed' ? slowDownResponse(answer.retryAfterSeconds) : redemptionResponse(answer.result);
    reply.status(response.status);
    return response.body;
  }
}
