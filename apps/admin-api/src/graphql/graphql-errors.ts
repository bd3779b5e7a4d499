import { Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CampaignException, CampaignExceptionCode, CouponException, type CouponExceptionCode, WebhookException, type WebhookExceptionCode } from '@ringflow/campaign';
import { TenancyException, type TenancyExceptionCode } from '@ringflow/tenancy';

const TENANCY_CODES: Record<TenancyExceptionCode, string> = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  'invalid-input': 'BAD_USER_INPUT',
};

const COUPON_CODES: Record<CouponExceptionCode, string> = {
  unknown: 'NOT_FOUND',
  'promotion-not-found': 'NOT_FOUND',
  'merchant-not-found': 'NOT_FOUND',
  'already-redeemed': 'CONFLICT',
  'idempotency-conflict': 'CONFLICT',
  expired: 'BAD_USER_INPUT',
  malformed: 'BAD_USER_INPUT',
  'check-failed': 'BAD_USER_INPUT',
  'promotion-not-active': 'BAD_USER_INPUT',
  'invalid-input': 'BAD_USER_INPUT',
};

const CAMPAIGN_CODES: Record<CampaignExceptionCode, string> = {
  [CampaignExceptionCode.InvalidInput]: 'BAD_USER_INPUT',
  [CampaignExceptionCode.NotFound]: 'NOT_FOUND',
  [CampaignExceptionCode.InvalidTransition]: 'CONFLICT',
};

const WEBHOOK_CODES: Record<WebhookExceptionCode, string> = { 'invalid-input': 'BAD_USER_INPUT', 'not-found': 'NOT_FOUND', 'invalid-state': 'CONFLICT' };

type DomainException = TenancyException | CouponException | CampaignException | WebhookException;

function codeOf(exception: DomainException): string {
  if (exception instanceof TenancyException) return TENANCY_CODES[exception.code];
  if (exception instanceof CouponException) return COUPON_CODES[exception.code];
  if (exception instanceof CampaignException) return CAMPAIGN_CODES[exception.code];
  return WEBHOOK_CODES[exception.code];
}

/** Domain errors become GraphQL errors with `extensions.code` (and `extensions.field` where one is at fault). */
@Catch(TenancyException, CouponException, CampaignException, WebhookException)
export class DomainErrorFilter implements ExceptionFilter {
  catch(exception: DomainException): GraphQLError {
    return new GraphQLError(exception.message, {
      extensions: { code: codeOf(exception), ...(exception.field ? { field: exception.field } : {}) },
    });
  }
}

const logger = new Logger('GraphQL');
const KNOWN = new Set([...Object.values(TENANCY_CODES), 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND']);

/** Anything that is not a known, coded error is logged and answered as INTERNAL_SERVER_ERROR without details. */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (KNOWN.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error(error instanceof Error ? error.stack ?? error.message : String(error));
  return { message: 'internal error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
