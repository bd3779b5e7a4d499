import type { Campaign, CampaignWithProgress, CreateCampaignCommand, RetryableOutcome } from '@ringflow/campaign';
import { TenancyException } from '@ringflow/tenancy';
import type { CampaignType, CreateCampaignInput, RetryDelaysType } from './campaign.types';

/** GraphQL field names of the retryable outcomes (`no-answer` is not a name GraphQL allows). */
const RETRY_FIELDS: Record<keyof RetryDelaysType, RetryableOutcome> = { machine: 'machine', busy: 'busy', noAnswer: 'no-answer', failed: 'failed', unknown: 'unknown' };

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export function campaignCommandOf(input: CreateCampaignInput): CreateCampaignCommand {
  const byFlow = input.flowId != null || input.flowVersion != null;
  if (byFlow === (input.answerUrl != null)) throw new TenancyException('invalid-input', 'answer with either flowId and flowVersion, or answerUrl', 'answerUrl');
  if (byFlow && (input.flowId == null || input.flowVersion == null)) throw new TenancyException('invalid-input', 'flowId and flowVersion go together', input.flowId == null ? 'flowId' : 'flowVersion');
  const retryDelays: Campaign['retryDelays'] = {};
  for (const [field, outcome] of Object.entries(RETRY_FIELDS)) {
    const seconds = input.retryDelays?.[field as keyof RetryDelaysType];
    if (seconds != null) retryDelays[outcome] = seconds;
  }
  return {
    name: input.name,
    listId: input.listId,
    callerId: input.callerId,
    answer: byFlow ? { kind: 'flow', flowId: input.flowId!, flowVersion: input.flowVersion! } : { kind: 'url', url: input.answerUrl! },
    window: input.window ? { start: input.window.start, end: input.window.end } : undefined,
    callsPerSecond: input.callsPerSecond,
    maxConcurrentCalls: input.maxConcurrentCalls,
    maxAttempts: input.maxAttempts ?? undefined,
    retryDelays,
    machineHandling: input.machineHandling ?? undefined,
  };
}

export function campaignTypeOf(c: CampaignWithProgress): CampaignType {
  const retryDelays: RetryDelaysType = {};
  for (const [field, outcome] of Object.entries(RETRY_FIELDS)) retryDelays[field as keyof RetryDelaysType] = c.retryDelays[outcome];
  const states = c.progress.states;
  return {
    id: c.id, name: c.name, status: c.status, listId: c.listId, callerId: c.callerId,
    flowId: c.answer.kind === 'flow' ? c.answer.flowId : null,
    flowVersion: c.answer.kind === 'flow' ? c.answer.flowVersion : null,
    answerUrl: c.answer.kind === 'url' ? c.answer.url : null,
    window: { start: hhmm(c.window.startMinute), end: hhmm(c.window.endMinute) },
    callsPerSecond: c.callsPerSecond, maxConcurrentCalls: c.maxConcurrentCalls, maxAttempts: c.maxAttempts, retryDelays,
    machineHandling: c.machineHandling, scheduledAt: c.scheduledAt, startedAt: c.startedAt, finishedAt: c.finishedAt, createdAt: c.createdAt,
    progress: {
      contacts: c.progress.contacts,
      pending: states.pending ?? 0,
      inCall: states['in-call'] ?? 0,
      done: states.done ?? 0,
      dispositions: Object.entries(c.progress.dispositions).map(([disposition, count]) => ({ disposition, count })).sort((a, b) => a.disposition.localeCompare(b.disposition)),
    },
  };
}
