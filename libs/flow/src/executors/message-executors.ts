import type { PortOutcome } from '../ports';
import type { NodeOf } from '../schema/flow-document.schema';
import type { MarkerEvent } from '../runtime/instructions';
import type { StepContext } from '../runtime/step-context';
import { proceed, type Executor, type NodeResult } from './executor';

/** Calls a port; a thrown error counts as a failure so the flow's failure outcome handles it. */
async function callPort<T extends object>(run: () => Promise<PortOutcome<T>>): Promise<PortOutcome<T>> {
  try {
    return await run();
  } catch (err) {
    return { kind: 'failed', reason: err instanceof Error ? err.message : String(err) };
  }
}

/** A recipient that rendered to nothing fails without calling the port. */
function noRecipient(ctx: StepContext, outcome: [string, MarkerEvent]): NodeResult {
  ctx.setOutputs({ ok: false, error: 'no recipient: the address template rendered empty' });
  return proceed(outcome[0], [{ kind: 'marker', event: outcome[1], nodeId: ctx.nodeId }]);
}

function settle(ctx: StepContext, result: PortOutcome, ok: [string, MarkerEvent], failed: [string, MarkerEvent], extra = {}): NodeResult {
  const [outcome, event] = result.kind === 'ok' ? ok : failed;
  ctx.setOutputs(result.kind === 'ok' ? { ok: true, ...extra } : { ok: false, error: result.reason });
  return proceed(outcome, [{ kind: 'marker', event, nodeId: ctx.nodeId }]);
}

export const smsExecutor: Executor<NodeOf<'sms'>> = {
  enter: async (n, ctx) => {
    const to = ctx.render(n.to).trim();
    if (to === '') return noRecipient(ctx, ['failed', 'sms-failed']);
    const result = await callPort(() => ctx.ports.sms.send({ ...ctx.portAction(), to, body: ctx.render(n.body) }));
    return settle(ctx, result, ['sent', 'sms-sent'], ['failed', 'sms-failed'], { to });
  },
};

export const emailExecutor: Executor<NodeOf<'email'>> = {
  enter: async (n, ctx) => {
    const req = { ...ctx.portAction(), to: ctx.render(n.to).trim(), subject: ctx.render(n.subject), body: ctx.render(n.body) };
    if (req.to === '') return noRecipient(ctx, ['failed', 'email-failed']);
    const result = await callPort(() => ctx.ports.email.send(req));
    return settle(ctx, result, ['sent', 'email-sent'], ['failed', 'email-failed'], { to: req.to });
  },
};

export const couponExecutor: Executor<NodeOf<'coupon'>> = {
  enter: async (n, ctx) => {
    const req = { ...ctx.portAction(), promotionId: n.promotionId, to: ctx.render(n.to).trim() };
    if (req.to === '') return noRecipient(ctx, ['failed', 'coupon-failed']);
    const result = await callPort(() => ctx.ports.coupon.issue(req));
    const extra = result.kind === 'ok' ? { reference: result.reference } : {};
    return settle(ctx, result, ['issued', 'coupon-issued'], ['failed', 'coupon-failed'], extra);
  },
};

export const optOutExecutor: Executor<NodeOf<'opt-out'>> = {
  enter: async (n, ctx) => {
    const number = ctx.render(n.number).trim();
    if (number === '') return noRecipient(ctx, ['failed', 'opt-out-failed']);
    const result = await callPort(() => ctx.ports.consent.optOut({ ...ctx.portAction(), number }));
    return settle(ctx, result, ['opted-out', 'opted-out'], ['failed', 'opt-out-failed']);
  },
};

export { callPort };
