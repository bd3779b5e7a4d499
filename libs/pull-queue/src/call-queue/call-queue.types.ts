import type { TenantId } from '@ringflow/tenancy';

/** Who gets the link of a voicemail left in a queue: the agents who were offered the caller, or one number. */
export type VoicemailNotify = 'agents' | 'number';

/** A named queue of a tenant (the `queue` node's name) and the agents who answer it. */
export interface CallQueue {
  tenantId: TenantId;
  id: string;
  name: string;
  voicemailNotify: VoicemailNotify;
  /** E.164, when `voicemailNotify` is `number`. */
  voicemailNumber: string | null;
  /** The hold page tells a waiting caller their place in line (in priority order). */
  announcePosition: boolean;
  agentIds: string[];
  createdAt: Date;
}

export interface CallQueueInput {
  name: string;
  voicemailNotify?: VoicemailNotify;
  voicemailNumber?: string | null;
  announcePosition?: boolean;
  agentIds?: string[];
}
