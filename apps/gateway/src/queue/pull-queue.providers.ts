import { AgentNotifier } from './agent-notifier';
import { AgentReplyService } from './agent-reply.service';
import { BackgroundTasks } from './background-tasks';
import { CallerNames } from './caller-names';
import { PullQueuePort } from './pull-queue.port';
import { QueueCallEvents } from './queue-call-events';
import { QueueCallRedirect } from './queue-call-redirect';
import { QueueTelephony } from './queue-telephony';

/** The gateway's side of the pull queue; the app also imports PullQueueModule and TelephonyModule. */
export const pullQueueProviders = [
  QueueTelephony, CallerNames, BackgroundTasks, AgentNotifier, QueueCallRedirect, PullQueuePort, AgentReplyService, QueueCallEvents,
];
