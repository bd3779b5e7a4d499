import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AppMetrics } from '@ringflow/observability';

/** How a voice webhook was answered. */
export type VoiceAnswer =
  | 'step' | 'replayed' | 'stale' | 'flow-fault' | 'no-session' | 'no-flow' | 'fallback-error' | 'rejected' | 'forbidden' | 'ended';

/** Voice webhook answers by kind, on the app's /metrics (no tenant label: one series per kind). */
@Injectable()
export class VoiceMetrics {
  private readonly answers: Counter<'answer'>;

  constructor(metrics: AppMetrics) {
    this.answers = new Counter({
      name: 'ringflow_voice_answers_total',
      help: 'Voice webhooks answered, by kind (step, replayed duplicate, fallback, refused...)',
      labelNames: ['answer'],
      registers: [metrics.registry],
    });
  }

  count(answer: VoiceAnswer): void {
    this.answers.inc({ answer });
  }
}
