// Every key of a tenant shares one hash tag, `{<tenantId>}`: a tenant's keys live in one Redis Cluster
// slot, so the Lua scripts that touch a session and the tenant's active-call index stay atomic.

export function sessionKey(tenantId: string, callSid: string): string {
  return `rf:{${tenantId}}:call:${callSid}`;
}

export function stepLockKey(tenantId: string, callSid: string): string {
  return `rf:{${tenantId}}:call:${callSid}:lock`;
}

export function activeCallsKey(tenantId: string): string {
  return `rf:{${tenantId}}:calls:active`;
}

/** Pub/sub channel told when outside systems change a call's variables. */
export function callSignalChannel(tenantId: string, callSid: string): string {
  return `rf:{${tenantId}}:call:${callSid}:signal`;
}
