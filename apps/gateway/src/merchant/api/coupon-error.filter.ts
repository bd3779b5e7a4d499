import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CouponException } from '@ringflow/campaign';
import { COUPON_STATUS } from './redemption-status';

/** Coupon errors on the redemption API become `{error: {code, message, field}}` with the status CouponException documents. */
@Catch(CouponException)
export class CouponErrorFilter implements ExceptionFilter {
  catch(exception: CouponException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(COUPON_STATUS[exception.code])
      .send({ error: { code: exception.code, message: exception.message, ...(exception.field ? { field: exception.field } : {}) } });
  }
}
