import type { EmailPort, PortOutcome } from '@ringflow/flow';

/** Ringflow has no SMTP settings yet: an email node always takes its `failed` branch, saying why, and nothing claims it was sent. */
export const unconfiguredEmailPort: EmailPort = {
  send: async (): Promise<PortOutcome> => ({ kind: 'failed', reason: 'email is not configured for this tenant' }),
};
