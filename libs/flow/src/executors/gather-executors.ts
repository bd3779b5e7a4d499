import { judgeDigits, matchMenuKey } from '../decisions/digit-matching';
import type { PromptSpec } from '../schema/common.schema';
import type { NodeOf } from '../schema/flow-document.schema';
import type { Instruction } from '../runtime/instructions';
import type { StepContext } from '../runtime/step-context';
import { proceed, type Executor, type NodeResult } from './executor';

interface GatherShape {
  prompts: PromptSpec[];
  timeoutSeconds: number;
  attempts: number;
  invalidPrompts?: PromptSpec[];
  noInputPrompts?: PromptSpec[];
}

function gather(ctx: StepContext, before: PromptSpec[] | undefined, node: GatherShape, numDigits: number, finishOnKey: string): Instruction {
  return {
    kind: 'gather',
    prompts: [...ctx.prompts(before), ...ctx.prompts(node.prompts)],
    numDigits,
    finishOnKey,
    timeoutSeconds: node.timeoutSeconds,
    resume: { nodeId: ctx.nodeId },
  };
}

/** A failed attempt: re-prompt while attempts remain, else take the failure outcome. */
function retryOrGiveUp(ctx: StepContext, node: GatherShape, failure: 'no-input' | 'invalid', again: (before?: PromptSpec[]) => Instruction): NodeResult {
  const used = (ctx.state.retries[ctx.nodeId] ?? 0) + 1;
  if (used >= node.attempts) return proceed(failure);
  ctx.state.retries[ctx.nodeId] = used;
  return { kind: 'await', instructions: [again(failure === 'invalid' ? node.invalidPrompts : node.noInputPrompts)] };
}

export const menuExecutor: Executor<NodeOf<'menu'>> = {
  enter: (n, ctx) => ({ kind: 'await', instructions: [gather(ctx, undefined, n, 1, '')] }),
  resume: (n, ctx) => {
    const match = matchMenuKey(ctx.params.Digits, n.options.map((o) => o.key));
    if (match.kind === 'key') {
      ctx.setOutputs({ key: match.key });
      return proceed(`key:${match.key}`);
    }
    ctx.setOutputs({ key: '' });
    return retryOrGiveUp(ctx, n, match.kind, (before) => gather(ctx, before, n, 1, ''));
  },
};

/** Only long numbers (cards, accounts) expose their last four digits; a short PIN would be given away whole. */
const minDigitsForLast4 = 10;

export const inputExecutor: Executor<NodeOf<'input'>> = {
  enter: (n, ctx) => ({ kind: 'await', instructions: [gather(ctx, undefined, n, n.maxDigits, n.finishOnKey)] }),
  resume: (n, ctx) => {
    const verdict = judgeDigits(ctx.params.Digits, n);
    if (verdict.kind === 'valid') {
      if (n.sensitive) {
        const last4 = verdict.digits.length >= minDigitsForLast4 ? { last4: verdict.digits.slice(-4) } : {};
        ctx.setOutputs({ length: verdict.digits.length, ...last4 }, { digits: verdict.digits });
      } else {
        ctx.setOutputs({ digits: verdict.digits, length: verdict.digits.length });
      }
      return proceed('valid');
    }
    ctx.setOutputs({ reason: verdict.kind === 'invalid' ? verdict.reason : 'no-input' });
    return retryOrGiveUp(ctx, n, verdict.kind, (before) => gather(ctx, before, n, n.maxDigits, n.finishOnKey));
  },
};
