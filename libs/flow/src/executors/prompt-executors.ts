import type { NodeOf } from '../schema/flow-document.schema';
import { proceed, type Executor } from './executor';

export const sayExecutor: Executor<NodeOf<'say'>> = {
  enter: (n, ctx) => proceed('next', [ctx.say(n.text, n.voice, n.language, n.loop)]),
};

export const playExecutor: Executor<NodeOf<'play'>> = {
  enter: (n, ctx) => proceed('next', [{ kind: 'play', url: ctx.render(n.url), ...(n.loop ? { loop: n.loop } : {}) }]),
};

export const pauseExecutor: Executor<NodeOf<'pause'>> = {
  enter: (n) => proceed('next', [{ kind: 'pause', seconds: n.seconds }]),
};

export const gotoExecutor: Executor<NodeOf<'goto'>> = { enter: () => proceed('next') };

export const hangupExecutor: Executor<NodeOf<'hangup'>> = {
  enter: (n, ctx) => ({ kind: 'end', instructions: [...ctx.prompts(n.prompts), { kind: 'hangup' }] }),
};
