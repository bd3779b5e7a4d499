import { TwilioTelephonyAdapter, type TelephonyCredentials } from '@ringflow/telephony';
import { join } from 'node:path';
import { runScenariosCli } from '../../apps/telephony-sim/src/cli/run-scenarios.cli';
import { loadScenarioFile, parseScenario } from '../../apps/telephony-sim/src/scenario/scenario-loader';
import { ScenarioRunner } from '../../apps/telephony-sim/src/scenario/scenario-runner';
import { formatScenarioResult } from '../../apps/telephony-sim/src/scenario/transcript-format';
import { startSimulator, type Simulator } from '../../apps/telephony-sim/src/simulator';
import { WebhookRecorder } from '../../apps/telephony-sim/src/testing/webhook-recorder';
import { SHOP_NUMBER, tinyShop } from './tiny-shop.app';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

describe('telephony-sim scenarios against a tiny webhook app', () => {
  let sim: Simulator;
  let app: WebhookRecorder;
  let creds: TelephonyCredentials;
  let vars: Record<string, string>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    app = await new WebhookRecorder().start();
    const telephony = new TwilioTelephonyAdapter({ apiBaseUrl: sim.url });
    app.handle(tinyShop(telephony, () => creds, () => app.url));
    vars = { app: app.url, sim: sim.url };
  });
  afterAll(async () => {
    await sim.close();
    await app.stop();
  });
  beforeEach(async () => {
    await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
  });

  /** The scenario's setup creates the account; the tiny app needs its credentials to call the SDK. */
  const learnCredentials = () => {
    const number = sim.store.numberByPhone(SHOP_NUMBER);
    const account = number && sim.store.accounts.get(number.accountSid);
    if (account) creds = { accountSid: account.sid, authToken: account.authToken };
  };

  it('runs the menu, coupon SMS, SMS reply, outside trigger and push call scenario from YAML', async () => {
    const scenario = loadScenarioFile(fixture('tiny-shop.scenario.yaml'), vars);
    const runner = new ScenarioRunner(sim.url);
    sim.store.events.once('call-created', learnCredentials);
    const result = await runner.run(scenario);
    const text = formatScenarioResult(result);
    expect(result.passed).toBe(true);
    expect(text).toContain('PASS  Tiny Shop — menu, coupon SMS, agent queue and a push call');
    expect(text).toContain('hears "Welcome to Tiny Shop." (interrupted by a key)');
    expect(text).toMatch(/\+15550500001 -> \+15550511111: "Your coupon TINY-\d+" \(delivered\)/);
    expect(text).toContain('reply to +15550522222: "We are open 9 to 5."');
    expect(text).toContain('hears "This week only: press 1 for a coupon."');
  });

  it('runs the queue scenario from JSON: a background caller waits, the agent accepts by SMS and is bridged', async () => {
    const setup = loadScenarioFile(fixture('tiny-shop.scenario.yaml'), vars).setup;
    const scenario = { ...loadScenarioFile(fixture('tiny-shop-queue.scenario.json'), vars), setup };
    sim.store.events.once('call-created', learnCredentials);
    const result = await new ScenarioRunner(sim.url).run(scenario);
    const text = formatScenarioResult(result);
    expect({ passed: result.passed, text }).toEqual({ passed: true, text: expect.any(String) });
    expect(text).toMatch(/waits in queue "agents": redirected/);
    expect(text).toContain('dials +15550577777: answered by human, talked 30s');
    expect(text).toContain('✓ 1. +15550533333 calls +15550500001 (in the background, as "caller")');
    expect(text).toContain('✓ 4. call "caller" ends as expected');
  });

  it('checks a background call nobody awaited once the written steps are done', async () => {
    const scenario = parseScenario(
      {
        name: 'unawaited',
        setup: loadScenarioFile(fixture('tiny-shop.scenario.yaml'), vars).setup,
        steps: [{ call: { id: 'c', background: true, from: '+15550544444', to: SHOP_NUMBER, presses: [null], expect: { heard: ['Goodbye'] } } }],
      },
      'inline',
    );
    const result = await new ScenarioRunner(sim.url).run(scenario);
    expect(result.steps.map((s) => [s.title, s.status])).toEqual([
      ['+15550544444 calls +15550500001 (in the background, as "c")', 'passed'],
      ['call "c" ends as expected', 'passed'],
    ]);
    expect(() => parseScenario({ name: 'x', steps: [{ call: { background: true, from: '+15550544444', to: SHOP_NUMBER } }] }, 'x.yaml')).toThrow(/steps\.0\.call\.id: a background call needs an id/);
  });

  it('reports what a failing scenario got wrong, and skips the steps after it', async () => {
    const scenario = parseScenario(
      {
        name: 'wrong expectations',
        setup: loadScenarioFile(fixture('tiny-shop.scenario.yaml'), vars).setup,
        steps: [
          { call: { from: '+15550511111', to: SHOP_NUMBER, presses: ['1'], expect: { heard: ['Your coupon is on its way', 'Welcome'] } } },
          { expectSms: { to: '+15550511111', contains: 'coupon' } },
        ],
      },
      'inline',
    );
    sim.store.events.once('call-created', learnCredentials);
    const result = await new ScenarioRunner(sim.url).run(scenario);
    const text = formatScenarioResult(result);
    expect(result.passed).toBe(false);
    expect(text).toContain('FAIL  wrong expectations');
    expect(text).toContain('✗ 1. +15550511111 calls +15550500001');
    expect(text).toContain('! expected to hear "Welcome" later than it was heard');
    expect(text).toContain('- 2. an SMS containing "coupon" reaches +15550511111');
  });

  it('names the file and each field at fault in an invalid scenario', () => {
    expect(() =>
      parseScenario({ name: 'bad', steps: [{ call: { from: '5551234', to: SHOP_NUMBER, presses: ['x'] } }, { dance: true }] }, 'bad.yaml'),
    ).toThrow(/scenario bad\.yaml is invalid:\n {2}steps\.0\.call\.from: must be an E\.164 number/);
    expect(() => loadScenarioFile(fixture('tiny-shop.scenario.yaml'), {})).toThrow(/unknown variable \{\{app\}\}/);
  });

  it('the CLI prints readable transcripts and exits 0 when all pass, 2 on bad usage', async () => {
    const lines: string[] = [];
    sim.store.events.once('call-created', learnCredentials);
    const code = await runScenariosCli(['--sim', sim.url, '--var', `app=${app.url}`, fixture('tiny-shop.scenario.yaml')], (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('1 of 1 scenario(s) passed');
    const again: string[] = [];
    expect(await runScenariosCli(['--sim', sim.url, '--var', `app=${app.url}`, fixture('tiny-shop.scenario.yaml')], (l) => again.push(l))).toBe(0);
    expect(await runScenariosCli([], () => undefined)).toBe(2);
    expect(await runScenariosCli(['--var', 'oops', 'x.yaml'], () => undefined)).toBe(2);
  });
});
