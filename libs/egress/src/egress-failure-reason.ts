import { EgressRefusedError } from './guarded-lookup';

const CODE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed by the server before the response was complete',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  UND_ERR_INVALID_ARG: 'request rejected by the HTTP client',
  HPE_INVALID_CONSTANT: 'the server did not answer with valid HTTP',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is not for this host name',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain ends in an untrusted self-signed root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate issuer is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate issuer is not trusted',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
};

/**
 * A log-safe reason for an error thrown while calling `origin`: the refusal reason when the address
 * policy stopped the connection, otherwise what went wrong by error code. Header values never appear
 * in undici's or Node's messages, so quoting the message is safe.
 */
export function describeEgressError(error: unknown, origin: string): string {
  const refused = findInCauses(error, (e) => e instanceof EgressRefusedError);
  if (refused) return `connection to ${origin} refused: ${refused.message}`;
  const coded = findInCauses(error, (e) => typeof (e as NodeJS.ErrnoException).code === 'string');
  if (coded) {
    const code = (coded as NodeJS.ErrnoException).code as string;
    const known = CODE_REASONS[code] ?? code;
    return `request to ${origin} failed: ${known} (${coded.message})`;
  }
  const message = isErrorLike(error) ? error.message : String(error);
  return `request to ${origin} failed: ${message}`;
}

// Errors from Node's core come from another realm under jest (and vm contexts), so `instanceof Error`
// cannot be relied on: anything with a string message counts.
function findInCauses(error: unknown, test: (e: Error) => boolean): Error | undefined {
  const seen = new Set<unknown>();
  let current = error;
  while (isErrorLike(current) && !seen.has(current)) {
    if (test(current)) return current;
    seen.add(current);
    current = current.cause;
  }
  return undefined;
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}
