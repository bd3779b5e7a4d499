import { GraphQLError } from 'graphql';
import { type ApiKeyAuthenticator, TenancyException } from '@ringflow/tenancy';

/** How often a running subscription checks that its key is still valid (not revoked, not expired). */
export const KEY_RECHECK_MS = 15_000;

/**
 * `read`, preceded every `everyMs` by a check of the subscription's key: once the key is revoked or
 * expired, the read fails with UNAUTHENTICATED and the subscription ends with that error.
 */
export function withKeyRecheck<T>(
  authenticator: ApiKeyAuthenticator, authorization: string | undefined, read: () => Promise<T>, everyMs = KEY_RECHECK_MS,
): () => Promise<T> {
  let checkedAt = Date.now();
  return async () => {
    if (Date.now() - checkedAt >= everyMs) {
      try {
        await authenticator.authenticate(authorization);
      } catch (error) {
        if (error instanceof TenancyException) throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED' } });
        throw error;
      }
      checkedAt = Date.now();
    }
    return read();
  };
}
