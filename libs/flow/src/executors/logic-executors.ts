import { isOpen } from '../decisions/business-hours';
import { evaluateCase, type RenderedRule } from '../decisions/condition-operators';
import type { NodeOf } from '../schema/flow-document.schema';
import { proceed, type Executor } from './executor';

export const conditionExecutor: Executor<NodeOf<'condition'>> = {
  enter: (n, ctx) => {
    for (const [i, c] of n.cases.entries()) {
      const rules = c.rules.map((r): RenderedRule => {
        const value = ctx.render(r.value);
        if (r.op === 'any-of') return { op: r.op, value, operands: r.operands.map((o) => ctx.render(o)) };
        if (!('operand' in r)) return { op: r.op, value };
        return { op: r.op, value, operand: r.op === 'regex' ? r.operand : ctx.render(r.operand) };
      });
      if (evaluateCase(c.match, rules, ctx.options.timeZone)) {
        ctx.setOutputs({ matched: i });
        return proceed(`case:${i}`);
      }
    }
    ctx.setOutputs({ matched: 'else' });
    return proceed('else');
  },
};

export const hoursExecutor: Executor<NodeOf<'hours'>> = {
  enter: (n, ctx) => {
    const open = isOpen(n, ctx.now);
    ctx.setOutputs({ open });
    return proceed(open ? 'open' : 'closed');
  },
};

export const setExecutor: Executor<NodeOf<'set'>> = {
  enter: (n, ctx) => {
    for (const [name, template] of Object.entries(n.vars)) ctx.setVar(name, ctx.render(template));
    return proceed('next');
  },
};

export const splitExecutor: Executor<NodeOf<'split'>> = {
  enter: (n, ctx) => {
    const total = n.branches.reduce((sum, b) => sum + b.weight, 0);
    let pick = Math.min(Math.max(ctx.options.random(), 0), 0.999999999) * total;
    for (const [i, b] of n.branches.entries()) {
      if (pick < b.weight) {
        ctx.setOutputs({ branch: i });
        return proceed(`branch:${i}`);
      }
      pick -= b.weight;
    }
    ctx.setOutputs({ branch: n.branches.length - 1 });
    return proceed(`branch:${n.branches.length - 1}`);
  },
};
