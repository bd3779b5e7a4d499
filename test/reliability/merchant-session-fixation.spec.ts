import { type MerchantGateway, type Shop, startMerchantGateway } from '../merchant/support/merchant-harness';
import { MerchantWebClient } from '../merchant/support/merchant-web-client';

const PASSWORD = 'counter top 4451';

/** Session fixation: whatever cookie a browser holds before signing in (planted by an attacker or made up), the signed-in session is a new one. */
describe('merchant page: the session cookie after sign-in is never the one from before', () => {
  let g: MerchantGateway;
  let shop: Shop;
  let email: string;
  const redeemedAt = async (id: string) => (await g.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [id])).rows[0].redeemed_at;

  beforeAll(async () => {
    g = await startMerchantGateway();
    shop = await g.shop('Harbour');
    email = `till-${shop.tenantId}@harbour.example`;
    await g.users.create(shop.tenantId, { merchantId: shop.merchantId, email, password: PASSWORD }, 'admin');
  });
  afterAll(() => g?.close());

  it("a cookie an attacker planted before the victim signs in is replaced, and the attacker's copy reaches nothing", async () => {
    const attacker = new MerchantWebClient(g.url);
    await attacker.get();
    const planted = attacker.cookie!;
    expect(planted).toMatch(/^(__Host-)?ringflow_merchant=anon\./);

    // The victim's browser carries the planted cookie (a subdomain or a shared kiosk set it) and signs in with it.
    const victim = new MerchantWebClient(g.url);
    victim.cookie = planted;
    const signIn = await victim.signIn(email, PASSWORD);
    expect(signIn.status).toBe(200);
    expect(signIn.html).toContain('Harbour Cafe');
    expect(victim.cookie).toBeDefined();
    expect(victim.cookie).not.toBe(planted);

    // The attacker, still holding the planted cookie and its form token, is at the sign-in form and can redeem nothing.
    const coupon = await g.issue(shop);
    const attempt = await attacker.post('/merchant/redeem', { serial: coupon.serial });
    expect(attempt.status).toBe(401);
    expect(attempt.html).not.toContain('Harbour Cafe');
    expect(await redeemedAt(coupon.id)).toBeNull();
    expect((await attacker.get()).html).toContain('name="password"');

    // The victim's own session works.
    expect((await victim.post('/merchant/redeem', { serial: coupon.serial })).status).toBe(200);
    expect(await redeemedAt(coupon.id)).not.toBeNull();
  });

  it('a made-up cookie value is never adopted: the server issues its own', async () => {
    const browser = new MerchantWebClient(g.url);
    await browser.get();
    const invented = `${browser.cookie!.split('=')[0]}=anon.${'A'.repeat(43)}`;
    browser.cookie = invented;
    const page = await browser.get();
    expect(page.setCookie).toMatch(/^(__Host-)?ringflow_merchant=anon\./);
    expect(browser.cookie).not.toBe(invented);
    const signedIn = await browser.signIn(email, PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(browser.cookie).not.toContain('A'.repeat(43));
  });

  it('signing in again from a signed-in browser starts yet another session and ends the old one', async () => {
    const browser = new MerchantWebClient(g.url);
    await browser.signIn(email, PASSWORD);
    const first = browser.cookie!;
    // Back to the sign-in form: sign out, then in, keeping a copy of the first cookie.
    await browser.post('/merchant/sign-out', {});
    await browser.signIn(email, PASSWORD);
    expect(browser.cookie).not.toBe(first);
    const stale = new MerchantWebClient(g.url);
    stale.cookie = first;
    expect((await stale.get()).html).toContain('name="password"');
  });
});
