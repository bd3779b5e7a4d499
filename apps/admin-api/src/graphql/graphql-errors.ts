import { Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { TenancyException, type TenancyExceptionCode } from '@ringflow/tenancy';

const CODES: Record<TenancyExceptionCode, string> = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  'invalid-input': 'BAD_USER_INPUT',
};

/** Domain errors become GraphQL errors with `extensions.code` (and `extensions.field` where one is at fault). */
@Catch(TenancyException)
export class DomainErrorFilter implements ExceptionFilter {
  catch(exception: TenancyException): GraphQLError {
    return new GraphQLError(exception.message, {
      extensions: { code: CODES[exception.code], ...(exception.field ? { field: exception.field } : {}) },
    });
  }
}

const logger = new Logger('GraphQL');
const KNOWN = new Set([...Object.values(CODES), 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND']);

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
