import { Module } from '@nestjs/common';
import { AgentsService } from './agent/agents.service';
import { CallQueuesService } from './call-queue/call-queues.service';
import { QueueVoicemailsService } from './voicemail/queue-voicemails.service';
import { WaitingCallersStore } from './waiting/waiting-callers.store';

const providers = [AgentsService, CallQueuesService, QueueVoicemailsService, WaitingCallersStore];

/** Agents, queues, voicemails (Postgres) and waiting callers (Redis); needs TenancyModule and DataStoresModule in the app. */
@Module({ providers, exports: providers })
export class PullQueueModule {}
