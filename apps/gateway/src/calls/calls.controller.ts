import { Body, Controller, Get, Headers, Param, Patch, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CallSessionStore, SessionException, SessionVariablesService } from '@ringflow/session';
import { actorOf, Allow, CurrentPrincipal, tenantOf, type Principal } from '@ringflow/tenancy';
import { CALL_SID } from '../twilio/twilio-webhook';
import { activeCallView, etagOf, sessionView } from './session-view';

function checkCallSid(callSid: string): void {
  if (!CALL_SID.test(callSid)) throw new SessionException('not-found', `call ${callSid} not found`, 'callSid');
}

/** `If-Match: "3"` (or W/"3", or *): the version a write is based on; anything else cannot match. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(header.trim());
  if (!match) throw new SessionException('precondition-failed', 'If-Match must be an ETag of this session, e.g. "3"', 'If-Match');
  return Number(match[1]);
}

/**
 * Live calls of the caller's tenant, for its CRM or system of record. Reading takes an admin or analyst
 * key; writing variables takes an admin key (a CRM integration uses an admin key). The operator names
 * the tenant with `?tenantId=`. Another tenant's call is simply not found.
 */
@Controller('api/v1/calls')
export class CallsController {
  constructor(
    private readonly sessions: CallSessionStore,
    private readonly variables: SessionVariablesService,
  ) {}

  @Get()
  @Allow('admin', 'analyst', 'operator')
  async list(@CurrentPrincipal() principal: Principal, @Query('tenantId') requested?: string) {
    const tenantId = tenantOf(principal, requested);
    return { calls: (await this.sessions.listActive(tenantId)).map(activeCallView) };
  }

  @Get(':callSid/session')
  @Allow('admin', 'analyst', 'operator')
  async get(
    @CurrentPrincipal() principal: Principal, @Param('callSid') callSid: string, @Res({ passthrough: true }) reply: FastifyReply,
    @Query('tenantId') requested?: string,
  ) {
    const tenantId = tenantOf(principal, requested);
    checkCallSid(callSid);
    const stored = await this.sessions.load(tenantId, callSid);
    if (!stored) throw new SessionException('not-found', `call ${callSid} not found`, 'callSid');
    reply.header('ETag', etagOf(stored.version));
    return sessionView(stored);
  }

  @Patch(':callSid/session')
  @Allow('admin', 'operator')
  async patch(
    @CurrentPrincipal() principal: Principal, @Param('callSid') callSid: string, @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @Query('tenantId') requested?: string,
  ) {
    const tenantId = tenantOf(principal, requested);
    checkCallSid(callSid);
    if (body === null || typeof body !== 'object' || !('variables' in body)) {
      throw new SessionException('invalid-input', 'the body must be {"variables": {...}}', 'variables');
    }
    const stored = await this.variables.patch(tenantId, callSid, (body as { variables: unknown }).variables, ifMatchVersion(ifMatch), actorOf(principal));
    reply.header('ETag', etagOf(stored.version));
    return sessionView(stored);
  }
}
