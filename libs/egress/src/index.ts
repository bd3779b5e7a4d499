// Outbound HTTP for flows' `http` nodes, safe against SSRF. Built on undici's Agent with a
// connect-time `lookup` (so the address checked is the address connected to) and ipaddr.js for
// ranges. request-filtering-agent and ssrf-req-filter were not used: they guard Node's http.Agent
// only, and redirects, deadlines and size caps would still be ours to write.
export { SafeHttpClient } from './safe-http-client';
export type { SafeHttpClientOptions } from './safe-http-client.options';
export { InvalidAllowCidrError } from './address-policy';
export type { HostResolver, ResolvedAddress } from './guarded-lookup';
export { AddressPolicy } from './address-policy';
export { EgressRefusedError, systemResolver } from './guarded-lookup';
