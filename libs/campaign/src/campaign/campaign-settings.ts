import { CampaignException, CampaignExceptionCode } from './campaign.exception';
import type { CampaignStatus } from './campaign-status';

/** How one attempt ended, as the platform sees it. */
export type AttemptOutcome = 'human' | 'machine' | 'busy' | 'no-answer' | 'failed' | 'invalid-number' | 'unknown';
/** A contact's final word in a campaign: its last attempt's outcome, or why it was never (again) dialed. */
export type Disposition = AttemptOutcome | 'opted-out' | 'cancelled';
/** Outcomes that may be retried after a delay; `human` and `invalid-number` never are. */
export type RetryableOutcome = 'machine' | 'busy' | 'no-answer' | 'failed' | 'unknown';
export const RETRYABLE_OUTCOMES: readonly RetryableOutcome[] = ['machine', 'busy', 'no-answer', 'failed', 'unknown'];
export type MachineHandling = 'hang-up' | 'play-flow' | 'ignore';

/** Minutes after local midnight; the platform never calls outside 08:00-21:00, a campaign may narrow it. */
export const DEFAULT_WINDOW = { startMinute: 8 * 60, endMinute: 21 * 60 } as const;

export interface CallingWindow {
  startMinute: number;
  endMinute: number;
}

export interface Campaign {
  id: string;
  tenantId: string;
  name: string;
  status: CampaignStatus;
  listId: string;
  callerId: string;
  answer: { kind: 'flow'; flowId: string; flowVersion: number } | { kind: 'url'; url: string };
  window: CallingWindow;
  callsPerSecond: number;
  maxConcurrentCalls: number;
  maxAttempts: number;
  /** Seconds to wait before the next attempt, per outcome; an outcome not listed is final. */
  retryDelays: Partial<Record<RetryableOutcome, number>>;
  machineHandling: MachineHandling;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface CreateCampaignCommand {
  name: string;
  listId: string;
  callerId: string;
  answer: Campaign['answer'];
  /** "HH:MM" local to each contact; within 08:00-21:00. */
  window?: { start: string; end: string };
  callsPerSecond: number;
  maxConcurrentCalls: number;
  maxAttempts?: number;
  retryDelays?: Campaign['retryDelays'];
  machineHandling?: MachineHandling;
}

const invalid = (field: string, message: string) => new CampaignException(CampaignExceptionCode.InvalidInput, `${field} ${message}`, field);

function minuteOf(value: string, field: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!m) throw invalid(field, `"${value}" must be a time as HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function intIn(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(field, `must be a whole number from ${min} to ${max}, not ${value}`);
  return value;
}

/** Checks a campaign's settings; every error names the field and the rule. */
export function validateCampaignSettings(command: CreateCampaignCommand): Omit<Campaign, 'id' | 'tenantId' | 'status' | 'scheduledAt' | 'startedAt' | 'finishedAt'> {
  const name = command.name.trim();
  if (!name || name.length > 200) throw invalid('name', 'must be 1 to 200 characters');
  const window = command.window
    ? { startMinute: minuteOf(command.window.start, 'window.start'), endMinute: minuteOf(command.window.end, 'window.end') }
    : { ...DEFAULT_WINDOW };
  if (window.startMinute < DEFAULT_WINDOW.startMinute) throw invalid('window.start', 'may not be before 08:00');
  if (window.endMinute > DEFAULT_WINDOW.endMinute) throw invalid('window.end', 'may not be after 21:00');
  if (window.startMinute >= window.endMinute) throw invalid('window', 'must end after it starts');
  if (command.answer.kind === 'url' && !/^https?:\/\/\S+$/.test(command.answer.url)) throw invalid('answer.url', 'must be an http(s) URL');
  if (command.answer.kind === 'flow') intIn(command.answer.flowVersion, 1, 1_000_000, 'answer.flowVersion');
  const retryDelays: Campaign['retryDelays'] = {};
  for (const [outcome, seconds] of Object.entries(command.retryDelays ?? {})) {
    if (!RETRYABLE_OUTCOMES.includes(outcome as RetryableOutcome)) {
      throw invalid(`retryDelays.${outcome}`, `is not a retryable outcome (one of ${RETRYABLE_OUTCOMES.join(', ')})`);
    }
    retryDelays[outcome as RetryableOutcome] = intIn(seconds as number, 0, 7 * 24 * 3600, `retryDelays.${outcome}`);
  }
  return {
    name,
    listId: command.listId,
    callerId: command.callerId,
    answer: command.answer,
    window,
    callsPerSecond: intIn(command.callsPerSecond, 1, 1000, 'callsPerSecond'),
    maxConcurrentCalls: intIn(command.maxConcurrentCalls, 1, 100_000, 'maxConcurrentCalls'),
    maxAttempts: intIn(command.maxAttempts ?? 1, 1, 10, 'maxAttempts'),
    retryDelays,
    machineHandling: command.machineHandling ?? 'hang-up',
  };
}
