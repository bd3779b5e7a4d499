import { randomInt } from 'node:crypto';

/** A client address of its own (the gateway trusts X-Forwarded-For), so sign-in limits of earlier runs do not carry over. */
export function testClientIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** A browser stand-in for the merchant page over fetch: keeps the one session cookie and reads each form's CSRF token. */
export class MerchantWebClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(
    private readonly url: string,
    private readonly ip = testClientIp(),
  ) {}

  async get(path = '/merchant') {
    return this.keep(await fetch(`${this.url}${path}`, { headers: this.headers(), redirect: 'manual' }));
  }

  async post(path: string, form: Record<string, string>) {
    const body = new URLSearchParams({ ...(this.csrf ? { csrf: this.csrf } : {}), ...form }).toString();
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    return this.keep(response);
  }

  async signIn(email: string, password: string) {
    if (!this.csrf) await this.get();
    const answer = await this.post('/merchant/sign-in', { email, password });
    if (answer.status === 303) return this.get();
    return answer;
  }

  private headers(): Record<string, string> {
    return { 'x-forwarded-for': this.ip, ...(this.cookie ? { cookie: this.cookie } : {}) };
  }

  private async keep(response: Response) {
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.includes('Max-Age=0') ? undefined : set.split(';')[0];
    const html = await response.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html);
    if (csrf) this.csrf = csrf[1];
    return { status: response.status, headers: response.headers, html, setCookie: set };
  }
}
