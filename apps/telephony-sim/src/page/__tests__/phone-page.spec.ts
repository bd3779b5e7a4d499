import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../simulator';
import { SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

const NUMBER = '+15550800001';
const ME = '+15550899999';

describe('telephony-sim phone page (headless Chromium)', () => {
  let sim: Simulator;
  let app: WebhookRecorder;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    const client = new SimTestClient(sim);
    app = await new WebhookRecorder((req) => {
      if (req.path === '/voice') return '<Response><Gather numDigits="1" action="/menu"><Say>Welcome to the page test. Press 1 for a code.</Say></Gather></Response>';
      if (req.path === '/menu') return `<Response><Say>You pressed ${req.params.Digits}</Say><Sms>Your code is 8812</Sms><Play loop="0">https://example.com/hold.mp3</Play></Response>`;
      return `<Response><Message>Hi there, you said ${req.params.Body}</Message></Response>`;
    }).start();
    const acct = await client.account();
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/voice`, smsUrl: `${app.url}/sms` });
    profile = mkdtempSync(join(tmpdir(), 'sim-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sim.close();
    await app.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('lets a person call a number, press a key, see the transcript and SMS, text back, and hang up', async () => {
    await page.goto(`${sim.url}/phone`);
    await page.fill('#my-number', ME);
    await page.waitForSelector(`#tenant-number option[value="${NUMBER}"]`, { state: 'attached' });
    await page.click('#call');
    await page.locator('#transcript', { hasText: 'Welcome to the page test' }).waitFor();
    await page.click('#keypad button[data-key="1"]');
    await page.locator('#transcript', { hasText: 'You pressed 1' }).waitFor();
    expect(await page.textContent('#transcript')).toContain('(interrupted by a key)');
    await page.locator('#messages', { hasText: 'Your code is 8812' }).waitFor();

    await page.fill('#sms-body', 'HELLO');
    await page.click('#sms-send');
    await page.locator('#messages', { hasText: 'Hi there, you said HELLO' }).waitFor();

    await page.click('#hangup');
    await page.locator('#call-status', { hasText: /^completed$/ }).waitFor();
    expect(await page.textContent('#transcript')).toContain('hangup (caller)');
    expect(await page.textContent('#error')).toBe('');
  }, 30_000);
});
