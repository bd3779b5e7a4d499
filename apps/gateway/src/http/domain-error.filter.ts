import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SessionException, type SessionExceptionCode } from '@ringflow/session';
import { TenancyException, type TenancyExceptionCode } from '@ringflow/tenancy';

const STATUS: Record<TenancyExceptionCode | SessionExceptionCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'too-large': 413,
  'invalid-input': 422,
};

/** Coded domain errors become `{error: {code, message, field}}` with the matching HTTP status. */
@Catch(TenancyException, SessionException)
export class DomainErrorFilter implements ExceptionFilter {
  catch(exception: TenancyException | SessionException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(STATUS[exception.code])
      .send({ error: { code: exception.code, message: exception.message, ...(exception.field ? { field: exception.field } : {}) } });
  }
}
