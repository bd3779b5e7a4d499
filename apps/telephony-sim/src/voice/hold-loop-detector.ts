import type { TranscriptEvent } from './transcript';

/**
 * Hold loops (music, then <Redirect> back to the same URL) are how apps keep a caller
 * waiting. When the same request comes round a third time and the caller only listened
 * in between (no <Gather>, <Record> or <Dial>), the call is on hold: the session then plays
 * each turn in real time, at the caller's hold pace, instead of spinning through hours of music.
 */
export class HoldLoopDetector {
  private lastKey = '';
  private repeats = 0;
  private seen = 0;

  /** Notes a fetch about to happen; true when it is a turn of a hold loop. */
  isHolding(key: string, transcript: readonly TranscriptEvent[]): boolean {
    const since = transcript.slice(this.seen);
    const listened = since.some((e) => e.kind === 'say' || e.kind === 'play' || e.kind === 'pause');
    const acted = since.some((e) => e.kind === 'gather' || e.kind === 'record' || e.kind === 'dial');
    this.repeats = key === this.lastKey && listened && !acted ? this.repeats + 1 : 1;
    this.lastKey = key;
    this.seen = transcript.length;
    return this.repeats >= 3;
  }
}
