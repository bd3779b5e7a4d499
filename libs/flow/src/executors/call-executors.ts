import type { NodeOf } from '../schema/flow-document.schema';
import type { Instruction } from '../runtime/instructions';
import type { StepContext } from '../runtime/step-context';
import { proceed, type Executor, type NodeResult } from './executor';
import { callPort } from './message-executors';

const dialOutcomes: Record<string, string> = {
  completed: 'completed', answered: 'completed', busy: 'busy', 'no-answer': 'no-answer', failed: 'failed', canceled: 'failed',
};

export const dialExecutor: Executor<NodeOf<'dial'>> = {
  enter: (n, ctx) => {
    const number = ctx.render(n.number).trim();
    if (number === '') {
      ctx.setOutputs({ status: 'no-number', duration: 0 });
      return proceed('failed');
    }
    const callerId = n.callerId ? ctx.render(n.callerId).trim() : '';
    return {
      kind: 'await',
      instructions: [{
        kind: 'dial', number, ...(callerId ? { callerId } : {}),
        timeoutSeconds: n.timeoutSeconds, record: n.record, resume: { nodeId: ctx.nodeId },
      }],
    };
  },
  resume: (_n, ctx) => {
    const status = ctx.params.DialCallStatus ?? '';
    ctx.setOutputs({ status, duration: Number(ctx.params.DialCallDuration ?? 0) || 0 });
    return proceed(dialOutcomes[status] ?? 'failed');
  },
};

/**
 * Outcomes of a waiting caller. The gateway redirects the call to the resume URL with `RingflowQueueOutcome`
 * (`answered` with `RingflowAgent`, `voicemail`, `timeout`); Twilio's own `QueueResult` is read otherwise.
 */
const queueResults: Record<string, 'answered' | 'voicemail' | 'timeout'> = {
  bridged: 'answered', leave: 'timeout', 'queue-full': 'voicemail', error: 'voicemail', 'system-error': 'voicemail',
  redirected: 'timeout',
};

export const queueExecutor: Executor<NodeOf<'queue'>> = {
  enter: async (n, ctx) => {
    const queue = ctx.render(n.queue).trim();
    if (queue === '') {
      ctx.setOutputs({ queue, ok: false, error: 'the queue name rendered empty' });
      return proceed('voicemail');
    }
    const parsed = Number.parseInt(ctx.render(n.priority), 10);
    const priority = Number.isFinite(parsed) ? Math.max(-1000, Math.min(1000, parsed)) : 0;
    const result = await callPort(() =>
      ctx.ports.queue.enqueue({ ...ctx.portAction(), queue, priority, caller: ctx.input.system.caller, notifyAgents: n.notifyAgents }),
    );
    if (result.kind === 'failed') {
      ctx.setOutputs({ queue, priority, ok: false, error: result.reason });
      return proceed('voicemail');
    }
    ctx.setOutputs({ queue, priority, ok: true });
    const holdMusicUrl = n.holdMusicUrl ? ctx.render(n.holdMusicUrl).trim() : undefined;
    const holdMessage = n.holdMessage ? ctx.render(n.holdMessage).trim() : undefined;
    return {
      kind: 'await',
      instructions: [
        { kind: 'marker', event: 'queued', nodeId: ctx.nodeId },
        { kind: 'enqueue', queue, ...(holdMusicUrl ? { holdMusicUrl } : {}), ...(holdMessage ? { holdMessage } : {}),
          timeoutSeconds: n.timeoutSeconds, resume: { nodeId: ctx.nodeId } },
      ],
    };
  },
  resume: (_n, ctx) => {
    const own = ctx.params.RingflowQueueOutcome;
    const outcome = own === 'answered' || own === 'voicemail' || own === 'timeout' ? own : queueResults[ctx.params.QueueResult ?? ''] ?? 'voicemail';
    ctx.setOutputs({ ...ctx.state.nodes[ctx.nodeId], outcome, agent: ctx.params.RingflowAgent ?? '', waited: Number(ctx.params.QueueTime ?? 0) || 0 });
    return proceed(outcome);
  },
};

export const voicemailExecutor: Executor<NodeOf<'voicemail'>> = {
  enter: (n, ctx) => ({
    kind: 'await',
    instructions: [
      ...ctx.prompts(n.prompts),
      { kind: 'record', maxLengthSeconds: n.maxLengthSeconds, transcribe: n.transcribe, playBeep: n.playBeep, resume: { nodeId: ctx.nodeId } },
    ],
  }),
  resume: (_n, ctx) => {
    const url = ctx.params.RecordingUrl ?? '';
    const duration = Number(ctx.params.RecordingDuration ?? 0) || 0;
    if (url === '' || duration <= 0) {
      ctx.setOutputs({ recordingUrl: '', duration: 0 });
      return proceed('no-input');
    }
    ctx.setOutputs({ recordingUrl: url, duration });
    return proceed('recorded');
  },
};

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

function hold(n: NodeOf<'wait'>, ctx: StepContext): NodeResult {
  const instructions: Instruction[] = [
    ...ctx.prompts(n.prompts), { kind: 'pause', seconds: n.pollSeconds }, { kind: 'redirect', resume: { nodeId: ctx.nodeId } },
  ];
  return { kind: 'await', instructions };
}

export const waitExecutor: Executor<NodeOf<'wait'>> = {
  enter: (n, ctx) => (isSet(ctx.state.vars[n.variable]) ? proceed('set') : hold(n, ctx)),
  resume: (n, ctx) => {
    if (isSet(ctx.state.vars[n.variable])) return proceed('set');
    const since = Date.parse(ctx.state.awaiting?.since ?? '');
    const waited = Number.isFinite(since) ? (ctx.now.getTime() - since) / 1000 : Number.POSITIVE_INFINITY;
    return waited >= n.timeoutSeconds ? proceed('timeout') : hold(n, ctx);
  },
};
