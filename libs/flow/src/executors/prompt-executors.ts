import type { NodeOf } from '../schema/flow-document.schema';
import type { Prompt } from '../runtime/instructions';
import { proceed, type Executor } from './executor';

const present = (p: Prompt | null): Prompt[] => (p ? [p] : []);

export const sayExecutor: Executor<NodeOf<'say'>> = {
  enter: (n, ctx) => proceed('next', present(ctx.say(n.text, n.voice, n.language, n.loop))),
};

export const playExecutor: Executor<NodeOf<'play'>> = {
  enter: (n, ctx) => proceed('next', present(ctx.play(n.url, n.loop))),
};

export const pauseExecutor: Executor<NodeOf<'pause'>> = {
  enter: (n) => proceed('next', [{ kind: 'pause', seconds: n.seconds }]),
};

export const gotoExecutor: Executor<NodeOf<'goto'>> = { enter: () => proceed('next') };

export const hangupExecutor: Executor<NodeOf<'hangup'>> = {
  enter: (n, ctx) => ({ kind: 'end', instructions: [...ctx.prompts(n.prompts), { kind: 'hangup' }] }),
};
