import type { HttpPortResult } from '../ports';
import type { NodeOf } from '../schema/flow-document.schema';
import { selectJsonPath } from '../template/json-path';
import type { StepContext } from '../runtime/step-context';
import { proceed, type Executor, type NodeResult } from './executor';

/** Responses above this size are failures (the HttpPort also enforces it). */
export const maxHttpResponseBytes = 64 * 1024;

function renderJson(value: unknown, ctx: StepContext): unknown {
  if (typeof value === 'string') return ctx.render(value);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, ctx));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, ctx)]));
  }
  return value;
}

function buildBody(n: NodeOf<'http'>, ctx: StepContext): { body?: string; contentType?: string } {
  if (n.method === 'GET' || n.body === undefined) return {};
  if (n.body.format === 'json') return { body: JSON.stringify(renderJson(n.body.value, ctx)), contentType: 'application/json' };
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(n.body.fields)) form.append(k, ctx.render(v));
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

function fail(ctx: StepContext, outcome: 'failure' | 'timeout', error: string, status?: number): NodeResult {
  ctx.setOutputs({ ok: false, error, ...(status !== undefined ? { status } : {}) });
  return proceed(outcome, [{ kind: 'marker', event: 'http-called', nodeId: ctx.nodeId }]);
}

export const httpExecutor: Executor<NodeOf<'http'>> = {
  enter: async (n, ctx) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(n.headers)) headers[k] = ctx.render(v);
    const { body, contentType } = buildBody(n, ctx);
    if (contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = contentType;
    let result: HttpPortResult;
    try {
      result = await ctx.ports.http.request({
        method: n.method, url: ctx.render(n.url), headers, ...(body !== undefined ? { body } : {}),
        timeoutMs: n.timeoutMs, maxResponseBytes: maxHttpResponseBytes,
      });
    } catch (err) {
      return fail(ctx, 'failure', err instanceof Error ? err.message : String(err));
    }
    if (result.kind === 'timeout') return fail(ctx, 'timeout', `no answer within ${n.timeoutMs} ms`);
    if (result.kind === 'failure') return fail(ctx, 'failure', result.reason);
    if (result.status < 200 || result.status > 299) return fail(ctx, 'failure', `HTTP status ${result.status}`, result.status);
    if (Buffer.byteLength(result.body) > maxHttpResponseBytes) return fail(ctx, 'failure', 'response larger than 64 kB', result.status);

    const outputs: Record<string, unknown> = { ok: true, status: result.status };
    if (Object.keys(n.extract).length > 0) {
      let json: unknown;
      try {
        json = JSON.parse(result.body);
      } catch {
        return fail(ctx, 'failure', 'response is not JSON', result.status);
      }
      for (const [name, path] of Object.entries(n.extract)) {
        const value = selectJsonPath(path, json) ?? null;
        outputs[name] = value;
        ctx.setVar(name, value);
      }
    }
    ctx.setOutputs(outputs);
    return proceed('success', [{ kind: 'marker', event: 'http-called', nodeId: ctx.nodeId }]);
  },
};
