import { Body, Controller, Get, Headers, Param, Patch, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth, ApiBody, ApiConflictResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam,
  ApiPayloadTooLargeResponse, ApiPreconditionFailedResponse, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CallSessionStore, SessionException, SessionVariablesService } from '@ringflow/session';
import { actorOf, Allow, CurrentPrincipal, tenantOf, type Principal } from '@ringflow/tenancy';
import { ErrorBody } from '../openapi/error-body.schema';
import { CALL_SID } from '../twilio/twilio-webhook';
import { ActiveCallList, CallSessionView, PatchSessionBody } from './calls.schemas';
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
@ApiTags('calls')
@ApiBearerAuth('api-key')
@ApiQuery({ name: 'tenantId', required: false, description: 'The tenant, with the operator key only; a tenant key is bound to its own tenant' })
@ApiUnauthorizedResponse({ type: ErrorBody, description: 'No API key, or not a valid one' })
@ApiForbiddenResponse({ type: ErrorBody, description: "The key's role may not do this" })
@Controller('api/v1/calls')
export class CallsController {
  constructor(
    private readonly sessions: CallSessionStore,
    private readonly variables: SessionVariablesService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listActiveCalls', summary: "The tenant's active calls (admin or analyst key)" })
  @ApiOkResponse({ type: ActiveCallList })
  @Allow('admin', 'analyst', 'operator')
  async list(@CurrentPrincipal() principal: Principal, @Query('tenantId') requested?: string) {
    const tenantId = tenantOf(principal, requested);
    return { calls: (await this.sessions.listActive(tenantId)).map(activeCallView) };
  }

  @Get(':callSid/session')
  @ApiOperation({ operationId: 'getCallSession', summary: 'Where a live call stands and its variables (admin or analyst key)' })
  @ApiParam({ name: 'callSid', description: "Twilio's call SID", schema: { type: 'string', pattern: '^CA[0-9a-f]{32}$' } })
  @ApiOkResponse({ type: CallSessionView, headers: { ETag: { description: 'The session version, quoted (e.g. "3"); send it back as If-Match', schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ type: ErrorBody, description: "No such call of this tenant (another tenant's call too)" })
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
  @ApiOperation({ operationId: 'patchCallSession', summary: 'Set variables the flow sees at its next step (admin key)' })
  @ApiParam({ name: 'callSid', description: "Twilio's call SID", schema: { type: 'string', pattern: '^CA[0-9a-f]{32}$' } })
  @ApiHeader({ name: 'If-Match', required: false, description: 'An ETag of this session (e.g. "3"): the write applies only if the session is still at that version; * or absent: any' })
  @ApiBody({ type: PatchSessionBody })
  @ApiOkResponse({ type: CallSessionView, headers: { ETag: { description: 'The session version, quoted (e.g. "3"); send it back as If-Match', schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ type: ErrorBody, description: "No such call of this tenant (another tenant's call too)" })
  @ApiConflictResponse({ type: ErrorBody, description: 'The call has ended' })
  @ApiPreconditionFailedResponse({ type: ErrorBody, description: 'If-Match does not match the current version (or is not an ETag)' })
  @ApiPayloadTooLargeResponse({ type: ErrorBody, description: 'Too many variables, or too large' })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'The body is not {"variables": {...}}, or a name or value is not allowed' })
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
