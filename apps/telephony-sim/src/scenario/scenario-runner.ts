import { checkCall } from './call-expectations';
import type { CallExpectation, Scenario, ScenarioStep } from './scenario.schema';
import { SimControlClient, type SimCallView } from './sim-control.client';

export interface StepResult {
  title: string;
  status: 'passed' | 'failed' | 'not run';
  problems: string[];
  /** The transcript of the step's call, or what the step saw. */
  lines: string[];
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  steps: StepResult[];
  durationMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function title(step: ScenarioStep): string {
  if ('call' in step) return `${step.call.from} calls ${step.call.to}${step.call.background ? ` (in the background, as "${step.call.id}")` : ''}`;
  if ('awaitCall' in step) return `call "${step.awaitCall.id}" ends as expected`;
  if ('expectCall' in step) return `the platform calls ${step.expectCall.to}`;
  if ('sms' in step) return `${step.sms.from} texts ${step.sms.to}: "${step.sms.body}"`;
  if ('expectSms' in step) return `an SMS containing "${step.expectSms.contains}" reaches ${step.expectSms.to}`;
  if ('request' in step) return `outside system: ${step.request.method} ${step.request.url}`;
  return `wait ${step.wait} ms`;
}

/** Runs scenarios against a simulator over its /sim control API: the runner the CLI and tests share. */
export class ScenarioRunner {
  private readonly sim: SimControlClient;
  private readonly seenCalls = new Set<string>();
  private readonly seenMessages = new Set<string>();
  private readonly background = new Map<string, { sid: string; timeoutMs: number; expect: CallExpectation }>();

  constructor(simUrl: string) {
    this.sim = new SimControlClient(simUrl);
  }

  async run(scenario: Scenario): Promise<ScenarioResult> {
    const started = Date.now();
    const steps: StepResult[] = [];
    try {
      await this.setUp(scenario);
    } catch (err) {
      steps.push({ title: 'setup', status: 'failed', problems: [(err as Error).message], lines: [] });
    }
    const pending = [...scenario.steps];
    for (let i = 0; i < pending.length; i++) {
      const step = pending[i];
      if (steps.some((s) => s.status === 'failed')) {
        steps.push({ title: title(step), status: 'not run', problems: [], lines: [] });
        continue;
      }
      const result: StepResult = { title: title(step), status: 'passed', problems: [], lines: [] };
      try {
        await this.runStep(step, result);
      } catch (err) {
        result.problems.push((err as Error).message);
      }
      if (result.problems.length) result.status = 'failed';
      steps.push(result);
      // Background calls nobody awaited are checked once the written steps are done.
      if (i === pending.length - 1) for (const id of this.background.keys()) pending.push({ awaitCall: { id } });
    }
    return { name: scenario.name, passed: steps.every((s) => s.status === 'passed'), steps, durationMs: Date.now() - started };
  }

  private async setUp(scenario: Scenario): Promise<void> {
    for (const c of await this.sim.calls({})) this.seenCalls.add(c.sid);
    for (const m of await this.sim.messages()) this.seenMessages.add(m.sid);
    const accounts = new Map<string, string>();
    for (const a of scenario.setup.accounts) {
      const created = await this.sim.createAccount({ sid: a.sid, token: a.token, cps: a.cps, mps: a.mps });
      accounts.set(a.ref, created.sid);
    }
    for (const n of scenario.setup.numbers) {
      const accountSid = accounts.get(n.account) ?? (n.account.startsWith('AC') ? n.account : undefined);
      if (!accountSid) throw new Error(`setup.numbers ${n.number}: no account "${n.account}" in setup.accounts`);
      await this.sim.createNumber({ accountSid, phoneNumber: n.number, voiceUrl: n.voiceUrl, smsUrl: n.smsUrl, statusCallback: n.statusCallback });
    }
    for (const [number, script] of Object.entries(scenario.setup.phones)) await this.sim.setPhone(number, script);
  }

  private async runStep(step: ScenarioStep, result: StepResult): Promise<void> {
    if ('call' in step) {
      const { from, to, expect, timeoutMs, id, background, ...script } = step.call;
      const started = await this.sim.startCall({ from, to, script });
      this.seenCalls.add(started.sid);
      if (background && id) {
        this.background.set(id, { sid: started.sid, timeoutMs, expect });
        result.lines.push(`call ${started.sid} started`);
      } else this.finishCall(await this.sim.waitForCallEnd(started.sid, timeoutMs), expect, result);
    } else if ('awaitCall' in step) {
      const call = this.background.get(step.awaitCall.id);
      if (!call) throw new Error(`no earlier call step has id "${step.awaitCall.id}"`);
      this.background.delete(step.awaitCall.id);
      this.finishCall(await this.sim.waitForCallEnd(call.sid, call.timeoutMs), call.expect, result);
    } else if ('expectCall' in step) {
      const { to, within, script, timeoutMs, expect } = step.expectCall;
      if (script) await this.sim.setPhone(to, script);
      const call = await this.awaitNewCall(to, within);
      this.finishCall(await this.sim.waitForCallEnd(call.sid, timeoutMs), expect, result);
    } else if ('sms' in step) {
      const answer = await this.sim.sendSms(step.sms);
      result.lines.push(...answer.replies.map((r) => `reply to ${r.to}: "${r.body}"`));
      if (answer.failure) result.problems.push(`the SMS webhook failed: ${answer.failure}`);
      const wanted = step.sms.expectReply;
      if (wanted && !answer.replies.some((r) => r.body.toLowerCase().includes(wanted.toLowerCase()))) {
        result.problems.push(`expected a reply containing "${wanted}", got ${JSON.stringify(answer.replies.map((r) => r.body))}`);
      }
      for (const r of answer.replies) this.seenMessages.add(r.sid);
    } else if ('expectSms' in step) {
      const e = step.expectSms;
      const deadline = Date.now() + e.within;
      for (;;) {
        const found = (await this.sim.messages({ to: e.to })).find(
          (m) => !this.seenMessages.has(m.sid) && (!e.from || m.from === e.from) && m.body.toLowerCase().includes(e.contains.toLowerCase()),
        );
        if (found) {
          this.seenMessages.add(found.sid);
          result.lines.push(`${found.from} -> ${found.to}: "${found.body}" (${found.status})`);
          return;
        }
        if (Date.now() > deadline) {
          const got = (await this.sim.messages({ to: e.to })).filter((m) => !this.seenMessages.has(m.sid)).map((m) => m.body);
          result.problems.push(`no SMS containing "${e.contains}" reached ${e.to} within ${e.within} ms; new messages there: ${JSON.stringify(got)}`);
          return;
        }
        await sleep(50);
      }
    } else if ('request' in step) {
      const r = step.request;
      const res = await fetch(r.url, {
        method: r.method,
        headers: r.body === undefined ? r.headers : { 'content-type': 'application/json', ...r.headers },
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      });
      result.lines.push(`-> ${res.status}`);
      if (r.expectStatus !== undefined && res.status !== r.expectStatus) {
        result.problems.push(`expected HTTP ${r.expectStatus}, got ${res.status}: ${(await res.text()).slice(0, 200)}`);
      }
    } else {
      await sleep(step.wait);
    }
  }

  private finishCall(call: SimCallView, expect: Parameters<typeof checkCall>[1], result: StepResult): void {
    result.lines.push(`call ${call.sid} (${call.direction}, ${call.durationSeconds}s)`, ...call.lines);
    result.problems.push(...checkCall(call, expect));
  }

  private async awaitNewCall(to: string, within: number): Promise<SimCallView> {
    const deadline = Date.now() + within;
    for (;;) {
      const call = (await this.sim.calls({ to, direction: 'outbound-api' })).find((c) => !this.seenCalls.has(c.sid));
      if (call) {
        this.seenCalls.add(call.sid);
        return call;
      }
      if (Date.now() > deadline) throw new Error(`no call to ${to} was placed within ${within} ms`);
      await sleep(50);
    }
  }
}
