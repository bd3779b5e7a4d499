import { audit, type TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { effectiveVariables, type StoredSession } from './call-session';
import type { CallSessionStore } from './call-session.store';
import type { CallSignals } from './call-signals';
import { checkVariables, checkVariablesSize } from './session-limits';
import { SessionException } from './session.exception';

/**
 * Outside systems (a tenant's CRM) write a live call's variables; the flow sees them at its next step.
 * Each write is audited with the variable names (never their values) in the same transaction.
 */
export class SessionVariablesService {
  constructor(
    private readonly sessions: CallSessionStore,
    private readonly db: TenantDatabase,
    private readonly signals?: CallSignals,
  ) {}

  async patch(tenantId: TenantId, callSid: string, variables: unknown, ifMatch: number | undefined, actor: string): Promise<StoredSession> {
    const vars = checkVariables(variables);
    const stored = await this.db.run(tenantId, async (em) => {
      await audit(em, tenantId, { actor, action: 'call-session.set-variables', targetType: 'call', targetId: callSid, details: { names: Object.keys(vars) } });
      return this.sessions.update(
        tenantId,
        callSid,
        (session) => {
          if (session.endedAt !== null) throw new SessionException('conflict', `call ${callSid} has ended`, 'callSid');
          const next = { ...session, pendingVars: { ...session.pendingVars, ...vars }, updatedAt: new Date().toISOString() };
          checkVariablesSize(effectiveVariables(next));
          return next;
        },
        ifMatch,
      );
    });
    // Best effort: without the signal the flow still sees the change at its next poll.
    await this.signals?.notify(tenantId, callSid).catch(() => undefined);
    return stored;
  }
}
