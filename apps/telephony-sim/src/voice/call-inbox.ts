import type { Interrupt } from './call-signals';
import { collectDigits, type DigitsResult } from './verbs/collect-digits';

/**
 * What reaches a running call from outside, in real time: an interrupt (a REST update, a
 * hangup, a bridge) and a person's keys. A call waiting on it wakes when either arrives.
 */
export class CallInbox {
  pending: Interrupt | null = null;
  keys = '';
  private wake: (() => void) | null = null;

  interrupt(i: Interrupt): void {
    this.pending = i;
    this.wake?.();
  }

  pressKeys(digits: string): void {
    this.keys += digits;
    this.wake?.();
  }

  /** Waits up to `ms` for an interrupt or keys; answers the pending interrupt, if any. */
  async wait(ms: number): Promise<Interrupt | null> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.pending;
  }

  take(kinds: Interrupt['kind'][]): Interrupt | null {
    const p = this.pending;
    if (p && kinds.includes(p.kind)) {
      this.pending = null;
      return p;
    }
    return null;
  }

  /**
   * Waits for keys to complete a <Gather>'s input: the finish key or numDigits end it, as
   * does `timeout` seconds without a key. Reports the real seconds spent through `spent`.
   */
  async awaitKeys(opts: { timeout: number; numDigits?: number; finishOnKey: string }, spent: (seconds: number) => void): Promise<DigitsResult> {
    for (;;) {
      const result = collectDigits(this.keys, opts);
      if (result.outcome !== 'timeout') {
        this.keys = this.keys.slice(result.digits.length + (result.finishedOnKey ? 1 : 0));
        return result;
      }
      const before = this.keys.length;
      const started = Date.now();
      const interrupt = await this.wait(opts.timeout * 1000);
      spent((Date.now() - started) / 1000);
      if (interrupt || this.keys.length === before) {
        if (!interrupt) this.keys = '';
        return result;
      }
    }
  }
}
