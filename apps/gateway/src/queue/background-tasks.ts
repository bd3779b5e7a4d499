import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/** An error's message with anything that looks like a phone number masked (telephony errors name the recipient). */
export function safeMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\+?\d{7,15}/g, '<number>');
}

/**
 * Work that must not hold up a Twilio webhook (agent notices, voicemail links): started at once, its
 * failures logged, and awaited on shutdown so a rolling restart does not cut a notice in half.
 */
@Injectable()
export class BackgroundTasks implements OnApplicationShutdown {
  private readonly logger = new Logger(BackgroundTasks.name);
  private readonly running = new Set<Promise<void>>();

  run(what: string, work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => this.logger.error(`${what} failed: ${safeMessage(error)}`))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves when everything started so far has finished (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }
}
