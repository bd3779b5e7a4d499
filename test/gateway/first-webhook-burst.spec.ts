import { TwilioCredentialsService, TenantDatabase, TenantsService, type TenantId } from '@ringflow/tenancy';
import { TenantVoiceSettings } from '../../apps/gateway/src/twilio/tenant-voice-settings';
import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { SignedCall } from './support/signed-call';
import { spoken, verbs } from './support/twiml-reader';

const menu = {
  schemaVersion: 1,
  name: 'Burst',
  start: 'menu',
  nodes: {
    menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1 for opening hours.' }], options: [{ key: '1', next: 'hours' }], next: { 'no-input': 'bye', invalid: 'bye' } },
    hours: { type: 'say', text: 'We are open from nine to five.', next: 'bye' },
    bye: { type: 'hangup', prompts: [{ kind: 'say', text: 'Goodbye.' }] },
  },
};

// A campaign or a busy hour starts many calls to one number at once. Each first webhook used to ask Postgres, on its
// own pool connection, who owns the number, for the tenant's Twilio credentials and settings, and for the number's
// flow: under load the pool (10 connections, 3 s to acquire) made some callers hear the fallback.
describe('a burst of new calls to one number', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    tenant = await gw.tenantWithFlow('Burst', '+14155550188', menu);
  });
  afterAll(async () => gw.close());
  afterEach(() => jest.restoreAllMocks());

  it("answers every caller with the menu, asking Postgres once for the number's owner and the tenant's settings", async () => {
    const app = gw.apps[0];
    const owners = jest.spyOn(app.get(TenantDatabase), 'tenantForNumber');
    const credentials = jest.spyOn(app.get(TwilioCredentialsService), 'reveal');
    const settings = jest.spyOn(app.get(TenantsService), 'get');
    const calls = Array.from({ length: 40 }, (_, i) => new SignedCall([gw.url], tenant, `+1555123${String(1000 + i)}`));
    const answers = await Promise.all(calls.map((call) => call.start()));
    for (const answer of answers) expect(spoken(answer)).toEqual(['Press 1 for opening hours.']);
    expect(owners).toHaveBeenCalledTimes(1);
    expect(credentials).toHaveBeenCalledTimes(1);
    expect(settings).toHaveBeenCalledTimes(1);
    // Every call goes on as its own call.
    const next = await Promise.all(calls.slice(0, 5).map((call) => call.press('1')));
    for (const answer of next) expect(spoken(answer)).toEqual(['We are open from nine to five.', 'Goodbye.']);
    expect(verbs(next[0])).toContain('Hangup');
  });

  it("reloads a busy tenant's settings before they expire, so no webhook waits for Postgres when the minute ends", async () => {
    const other = await gw.tenantWithFlow('Busy', '+14155550189', menu);
    const tenantId = other.tenantId as TenantId;
    const app = gw.apps[0];
    const settings = app.get(TenantVoiceSettings);
    const reveal = jest.spyOn(app.get(TwilioCredentialsService), 'reveal');
    const t0 = Date.now();
    expect((await settings.get(tenantId, t0))?.authToken).toBe(other.authToken);
    expect((await settings.get(tenantId, t0 + 30_000))?.authToken).toBe(other.authToken);
    expect(reveal).toHaveBeenCalledTimes(1);

    // The token is rotated; in the minute's last 10 s a hit still answers at once, and reloads behind it.
    await app.get(TwilioCredentialsService).set(tenantId, { accountSid: other.accountSid, authToken: 'f'.repeat(32) }, 'operator');
    expect((await settings.get(tenantId, t0 + 55_000))?.authToken).toBe(other.authToken);
    for (let i = 0; i < 100 && settings.cached(tenantId, t0 + 65_000) === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reveal).toHaveBeenCalledTimes(2);
    // Past the first minute: the rotated token, from memory (no third read).
    expect((await settings.get(tenantId, t0 + 65_000))?.authToken).toBe('f'.repeat(32));
    expect(reveal).toHaveBeenCalledTimes(2);
  });
});
