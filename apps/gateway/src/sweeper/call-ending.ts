import { Injectable } from '@nestjs/common';
import { redactState } from '@ringflow/flow';
import { CallRecordOutbox, CallSessionStore, callRecordOf, SessionException, type CallRecordWrite, type StoredSession } from '@ringflow/session';
import type { TenantId } from '@ringflow/tenancy';
import { QueueCallEvents } from '../queue/queue-call-events';

/** What is known of a call's end: from Twilio's final status callback, or from Twilio's API when the sweeper asked. */
export interface CallEnd {
  callSid: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound';
  outcome: string;
  durationSeconds: number;
  endedAt: Date;
}

/**
 * Ends a call once, whoever learns of its end first (the final status callback or the sweeper): its record is
 * written, or kept in Redis until Postgres takes it; the session leaves the active set, loses its sensitive
 * digits and expires soon after; a queued caller leaves the queue.
 */
@Injectable()
export class CallEnding {
  constructor(
    private readonly sessions: CallSessionStore,
    private readonly outbox: CallRecordOutbox,
    private readonly queueEvents: QueueCallEvents,
  ) {}

  async end(tenantId: TenantId, end: CallEnd, stored: StoredSession | undefined): Promise<{ result: CallRecordWrite; error?: string }> {
    const write = await this.outbox.write(tenantId, callRecordOf(end, stored?.session));
    if (stored && stored.session.endedAt === null) {
      const at = end.endedAt.toISOString();
      await this.sessions
        .update(tenantId, end.callSid, (s) => (s.endedAt ? s : { ...s, state: redactState(s.state), endedAt: at, updatedAt: new Date().toISOString() }))
        .catch((error: unknown) => {
          if (!(error instanceof SessionException && error.code === 'not-found')) throw error;
        });
    }
    await this.queueEvents.callEnded(tenantId, end.callSid);
    return write;
  }
}

/** How a log line tells what became of the record. */
export function describeWrite(write: { result: CallRecordWrite; error?: string }): string {
  if (write.result === 'written') return 'call record written';
  if (write.result === 'already-written') return 'call record already written';
  return `call record kept in Redis until Postgres takes it (${write.error ?? 'refused'})`;
}
