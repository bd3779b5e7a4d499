import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { formatSerial, SERIAL_ALPHABET } from '@ringflow/campaign';
import { type MerchantGateway, type Shop, startMerchantGateway } from './support/merchant-harness';
import { MerchantWebClient, testClientIp } from './support/merchant-web-client';

const PASSWORD = 'counter top 4451';

describe('merchant web page (headless Chromium)', () => {
  let g: MerchantGateway;
  let shop: Shop;
  let email: string;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const consoleErrors: string[] = [];
  const redeemedAt = async (id: string) => (await g.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [id])).rows[0].redeemed_at;

  beforeAll(async () => {
    g = await startMerchantGateway();
    shop = await g.shop('Harbour');
    email = `till-${shop.tenantId}@harbour.example`;
    await g.users.create(shop.tenantId, { merchantId: shop.merchantId, email, password: PASSWORD }, 'admin');
    profile = mkdtempSync(join(tmpdir(), 'merchant-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      extraHTTPHeaders: { 'x-forwarded-for': testClientIp() },
    });
    page = await browser.newPage();
    page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await g?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs a cashier in, redeems a serial, then says already redeemed, when and by whom', async () => {
    const response = await page.goto(`${g.url}/merchant`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    expect(headers['strict-transport-security']).toContain('max-age=');
    const before = (await browser.cookies()).find((c) => c.name === '__Host-ringflow_merchant');

    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('#sign-in');
    await page.locator('h1', { hasText: 'Harbour Cafe' }).waitFor();
    const after = (await browser.cookies()).find((c) => c.name === '__Host-ringflow_merchant');
    expect(after).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(after!.value).not.toBe(before!.value);

    const coupon = await g.issue(shop);
    await page.fill('#serial', formatSerial(coupon.serial).toLowerCase());
    await page.fill('#order-amount', '12.50');
    await page.click('#redeem');
    const answer = page.locator('#answer');
    await expect(answer.getAttribute('data-outcome')).resolves.toBe('redeemed');
    expect(await answer.innerText()).toMatch(/Redeemed[\s\S]*Offer: A free coffee[\s\S]*Discount: 100%/);
    expect(await redeemedAt(coupon.id)).toBeInstanceOf(Date);

    await page.fill('#serial', coupon.serial);
    await page.click('#redeem');
    await page.locator('#answer[data-outcome="already-redeemed"]').waitFor();
    expect(await page.locator('#answer').innerText()).toMatch(/Already redeemed[\s\S]*On \d{4}-\d\d-\d\d \d\d:\d\d UTC[\s\S]*By Harbour Cafe/);
    expect(await page.locator('button#redeem').evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor)).toBe('rgb(31, 95, 214)');
    expect(consoleErrors.filter((text) => text.includes('Content Security Policy'))).toEqual([]);
  });

  it("shows when a coupon was redeemed or expired in the tenant's time zone, and a changed zone at once", async () => {
    const coast = await g.shop('Coast', { timeZone: 'America/Los_Angeles' });
    const cashierEmail = `till-${coast.tenantId}@coast.example`;
    await g.users.create(coast.tenantId, { merchantId: coast.merchantId, email: cashierEmail, password: PASSWORD }, 'admin');
    const cashier = new MerchantWebClient(g.url);
    expect((await cashier.signIn(cashierEmail, PASSWORD)).status).toBe(200);
    const [redeemed, expired] = [await g.issue(coast), await g.issue(coast)];
    expect((await cashier.post('/merchant/redeem', { serial: redeemed.serial })).status).toBe(200);
    // Fixed instants: 18:30 UTC on 4 July is 11:30 summer time in Los Angeles; 20:00 UTC on 15 January is 12:00 winter time.
    await g.owner.query(`UPDATE coupons SET redeemed_at = '2026-07-04T18:30:00Z' WHERE id = $1`, [redeemed.id]);
    await g.owner.query(`UPDATE coupons SET expires_at = '2026-01-15T20:00:00Z' WHERE id = $1`, [expired.id]);

    const again = await cashier.post('/merchant/redeem', { serial: redeemed.serial });
    expect(again.status).toBe(409);
    expect(again.html).toMatch(/Already redeemed[\s\S]*On 2026-07-04 11:30 PDT[\s\S]*By Coast Cafe/);
    const late = await cashier.post('/merchant/redeem', { serial: expired.serial });
    expect(late.status).toBe(410);
    expect(late.html).toContain('This coupon expired on 2026-01-15 12:00 PST.');

    await g.owner.query(`UPDATE tenants SET time_zone = 'Asia/Kolkata' WHERE id = $1`, [coast.tenantId]);
    expect((await cashier.post('/merchant/redeem', { serial: redeemed.serial })).html).toMatch(/On 2026-07-05 00:00 GMT\+5:30/);
  });

  it('tells a typo, an unknown code and an expired coupon apart', async () => {
    const coupon = await g.issue(shop);
    const typo = coupon.serial.slice(0, 6) + SERIAL_ALPHABET[(SERIAL_ALPHABET.indexOf(coupon.serial[6]) + 3) % 32] + coupon.serial.slice(7);
    const other = await g.shop('Elsewhere');
    const foreign = await g.issue(other);
    const expired = await g.issue(shop);
    await g.owner.query(`UPDATE coupons SET expires_at = now() - interval '1 day' WHERE id = $1`, [expired.id]);
    for (const [serial, title] of [[typo, 'Check the code'], [foreign.serial, 'Unknown code'], [expired.serial, 'Expired']]) {
      await page.fill('#serial', serial);
      await page.click('#redeem');
      await page.locator('#answer h2', { hasText: title }).waitFor();
    }
    expect(await redeemedAt(coupon.id)).toBeNull();
    expect(await redeemedAt(foreign.id)).toBeNull();
  });

  it('refuses a redemption without a valid session or CSRF token, and redeems nothing', async () => {
    const coupon = await g.issue(shop);
    const forged = await browser.request.post(`${g.url}/merchant/redeem`, { form: { csrf: 'forged-token', serial: coupon.serial } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('This form is no longer valid');
    const missing = await browser.request.post(`${g.url}/merchant/redeem`, { form: { serial: coupon.serial } });
    expect(missing.status()).toBe(403);

    const stranger = new MerchantWebClient(g.url);
    const csrf = await page.inputValue('form[action="/merchant/redeem"] input[name="csrf"]');
    stranger.csrf = csrf;
    const noSession = await stranger.post('/merchant/redeem', { serial: coupon.serial });
    expect(noSession.status).toBe(401);
    expect(noSession.html).toContain('Please sign in to redeem coupons');
    stranger.cookie = '__Host-ringflow_merchant=anon.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    stranger.csrf = csrf;
    expect((await stranger.post('/merchant/redeem', { serial: coupon.serial })).status).toBe(401);
    expect(await redeemedAt(coupon.id)).toBeNull();
  });

  it('signs out, after which the old session cookie redeems nothing', async () => {
    const cookie = (await browser.cookies()).find((c) => c.name === '__Host-ringflow_merchant')!;
    const csrf = await page.inputValue('form[action="/merchant/redeem"] input[name="csrf"]');
    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor();

    const replay = new MerchantWebClient(g.url);
    replay.cookie = `${cookie.name}=${cookie.value}`;
    replay.csrf = csrf;
    const coupon = await g.issue(shop);
    expect((await replay.post('/merchant/redeem', { serial: coupon.serial })).status).toBe(401);
    expect(await redeemedAt(coupon.id)).toBeNull();
  });
});
