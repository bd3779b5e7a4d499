export { SafeHttpClient } from './safe-http-client';
export type { SafeHttpClientOptions } from './safe-http-client.options';
export { InvalidAllowCidrError } from './address-policy';
export type { HostResolver, ResolvedAddress } from './guarded-lookup';
