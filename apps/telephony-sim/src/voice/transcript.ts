/** What happened on a simulated call, in order, on the call's simulated clock (seconds). */
export type TranscriptEvent = { at: number } & (
  | { kind: 'status'; status: string; answeredBy?: string }
  | { kind: 'webhook'; url: string; method: string; httpStatus: number }
  | { kind: 'say'; text: string; interrupted: boolean }
  | { kind: 'play'; url: string; interrupted: boolean }
  | { kind: 'pause'; seconds: number }
  | { kind: 'gather'; digits: string; outcome: 'keys' | 'timeout' | 'finish-key' | 'num-digits' }
  | { kind: 'record'; seconds: number; recordingSid: string }
  | { kind: 'dial'; target: string; result: string; dialCallSid: string | null }
  | { kind: 'enqueue'; queue: string; result: string }
  | { kind: 'sms'; to: string; body: string }
  | { kind: 'redirect'; url: string; by: 'twiml' | 'api' }
  | { kind: 'action'; request: string; httpStatus: number | null }
  | { kind: 'hangup'; by: 'twiml' | 'caller' | 'api' | 'end-of-twiml' | 'reject' | 'error' }
  | { kind: 'error'; code: number; message: string }
);

export type TranscriptEventInput = TranscriptEvent extends infer E ? (E extends { at: number } ? Omit<E, 'at'> : never) : never;

/** The words a caller heard, in order: what a scenario matches "must hear" against. */
export function heardLines(events: readonly TranscriptEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'say' ? [e.text] : e.kind === 'play' ? [`[play ${e.url}]`] : []));
}

/** One readable line per event, for logs, the CLI and failing tests. */
export function describeEvent(e: TranscriptEvent): string {
  const t = `${e.at.toFixed(1).padStart(6)}s`;
  switch (e.kind) {
    case 'status':
      return `${t}  status ${e.status}${e.answeredBy ? ` (answered by ${e.answeredBy})` : ''}`;
    case 'webhook':
      return `${t}  ${e.method} ${e.url} -> ${e.httpStatus}`;
    case 'say':
      return `${t}  hears "${e.text}"${e.interrupted ? ' (interrupted by a key)' : ''}`;
    case 'play':
      return `${t}  hears audio ${e.url}${e.interrupted ? ' (interrupted by a key)' : ''}`;
    case 'pause':
      return `${t}  silence ${e.seconds}s`;
    case 'gather':
      return `${t}  presses ${e.digits ? `"${e.digits}"` : 'nothing'} (${e.outcome})`;
    case 'record':
      return `${t}  leaves a ${e.seconds}s recording ${e.recordingSid}`;
    case 'dial':
      return `${t}  dials ${e.target}: ${e.result}`;
    case 'enqueue':
      return `${t}  waits in queue "${e.queue}": ${e.result}`;
    case 'sms':
      return `${t}  <Sms> to ${e.to}: "${e.body}"`;
    case 'redirect':
      return `${t}  redirected (${e.by}) to ${e.url}`;
    case 'action':
      return `${t}  outside system ${e.request} -> ${e.httpStatus ?? 'no answer'}`;
    case 'hangup':
      return `${t}  hangup (${e.by})`;
    case 'error':
      return `${t}  ERROR ${e.code}: ${e.message}`;
  }
}
