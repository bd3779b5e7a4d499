import { CampaignException, CampaignExceptionCode } from './campaign.exception';

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
export type CampaignAction = 'schedule' | 'launch' | 'pause' | 'resume' | 'complete' | 'cancel';

/** The lifecycle: draft -> scheduled -> running <-> paused -> completed / cancelled. */
const TRANSITIONS: Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  schedule: { draft: 'scheduled' },
  launch: { draft: 'running', scheduled: 'running' },
  pause: { running: 'paused' },
  resume: { paused: 'running' },
  complete: { running: 'completed' },
  cancel: { draft: 'cancelled', scheduled: 'cancelled', running: 'cancelled', paused: 'cancelled' },
};

export const FINAL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['completed', 'cancelled'];

/** The status after `action`, or an invalid-transition error that says what was tried from where. */
export function nextCampaignStatus(from: CampaignStatus, action: CampaignAction): CampaignStatus {
  const to = TRANSITIONS[action][from];
  if (!to) {
    const allowed = Object.keys(TRANSITIONS[action]).join(', ');
    throw new CampaignException(CampaignExceptionCode.InvalidTransition, `cannot ${action} a ${from} campaign (only from: ${allowed})`, 'status');
  }
  return to;
}

/** The statuses an action may start from, for a guarded UPDATE ... WHERE status = ANY(...). */
export function statusesAllowing(action: CampaignAction): CampaignStatus[] {
  return Object.keys(TRANSITIONS[action]) as CampaignStatus[];
}
