import { notifyWebhook } from '../http/signed-webhook';
import { rfc2822 } from '../state/sid';
import type { SimAccount, SimCall } from '../state/sim-types';

export type CallEventName = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface StatusCallbackConfig {
  url: string;
  method: 'GET' | 'POST';
  /** Twilio sends only `completed` unless StatusCallbackEvent asks for more. */
  events: ReadonlySet<CallEventName>;
}

/** Sends a call's status callbacks as Twilio does, numbered in order per call. */
export class StatusCallbackSender {
  private sequence = 0;

  constructor(
    private readonly config: StatusCallbackConfig | null,
    private readonly account: SimAccount,
    private readonly onError: (message: string) => void,
  ) {}

  async send(event: CallEventName, call: SimCall, baseParams: Record<string, string>): Promise<void> {
    if (!this.config || !this.config.events.has(event)) return;
    const params: Record<string, string> = {
      ...baseParams,
      CallStatus: event === 'initiated' ? 'initiated' : call.status,
      StatusCallbackEvent: event,
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(this.sequence++),
      Timestamp: rfc2822(new Date()),
    };
    if (event === 'completed') {
      const seconds = call.startTime ? Math.round(call.elapsedSeconds) : 0;
      params.CallDuration = String(seconds);
      params.Duration = String(Math.ceil(seconds / 60));
    }
    await notifyWebhook(
      { url: this.config.url, method: this.config.method, params, authToken: this.account.authToken },
      this.onError,
    );
  }
}
