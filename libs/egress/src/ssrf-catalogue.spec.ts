import type { HttpPortRequest } from '@ringflow/flow';
import { type LocalTestServer, startLocalTestServer } from './__tests__/local-test-server';
import { type LoopbackConnectGuard, installLoopbackConnectGuard } from './__tests__/loopback-connect-guard';
import type { HostResolver } from './guarded-lookup';
import { SafeHttpClient } from './safe-http-client';

/**
 * Issue #10's SSRF list, row by row, beyond what the other specs here already hold: every row is refused with a
 * reason naming why, and (without an allow-list) no socket is opened. Rows name the item of the list they belong to.
 */
const request = (url: string): HttpPortRequest => ({ method: 'GET', url, headers: {}, timeoutMs: 2_000, maxResponseBytes: 65_536 });
const resolvingTo = (...addresses: string[]): HostResolver => async () =>
  addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const LOOPBACK = 'loopback range 127.0.0.0/8';
const METADATA = 'link-local range 169.254.0.0/16 (cloud metadata endpoint)';
const CREDENTIALS = 'carries credentials (user:pass@)';
const SCHEME = /^request refused: scheme [a-z-]+: is not allowed \(only http: and https:\)$/;

type Row = [item: string, url: string, reason: string | RegExp];

const LITERALS: Row[] = [
  // decimal / octal / hex IPv4 forms beyond 127.0.0.1
  ['decimal IPv4', 'http://2852039166/', METADATA],
  ['hex IPv4', 'http://0xa9fea9fe/', METADATA],
  ['octal IPv4', 'http://0251.0376.0251.0376/', METADATA],
  ['hex per part', 'http://0xA9.0xFE.0xA9.0xFE/latest/meta-data/', METADATA],
  ['two-part IPv4', 'http://169.254.43518/', METADATA],
  ['decimal IPv4', 'http://3232235777/', 'private range 192.168.0.0/16'],
  ['three-part IPv4', 'http://192.168.257/', 'private range 192.168.0.0/16'],
  ['hex IPv4', 'http://0xac100001/', 'private range 172.16.0.0/12'],
  ['octal IPv4', 'http://012.0.0.5/', 'private range 10.0.0.0/8'],
  ['hex IPv4', 'http://0x64400001/', 'carrier-grade NAT range 100.64.0.0/10'],
  ['zero-padded octal', 'http://127.000.000.001/', LOOPBACK],
  ['long octal', 'http://000000000177.0.0.1/', LOOPBACK],
  ['upper-case scheme', 'HTTP://127.0.0.1/', LOOPBACK],
  // IPv6 spellings
  ['::1 in full', 'http://[0:0:0:0:0:0:0:1]/', 'loopback range ::1/128'],
  ['::1 zero-padded', 'http://[0000::0001]/', 'loopback range ::1/128'],
  ['::ffff:127.0.0.1 in hex', 'http://[::ffff:7f00:1]/', LOOPBACK],
  ['::ffff:127.0.0.1 in full', 'http://[0:0:0:0:0:ffff:127.0.0.1]/', LOOPBACK],
  ['IPv4-translated', 'http://[::ffff:0:127.0.0.1]/', 'IPv4-translated (RFC 6145)'],
  ['IPv4-compatible', 'http://[::127.0.0.1]/', 'outside the IPv6 global unicast range 2000::/3'],
  ['NAT64 of the metadata address', 'http://[64:ff9b::169.254.169.254]/', METADATA],
  ['6to4 of the metadata address', 'http://[2002:a9fe:a9fe::1]/', METADATA],
  ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'Teredo'],
  ['fc00::/7 lower bound', 'http://[fc00::]/', 'unique local range fc00::/7'],
  ['fe80::/10 upper end', 'http://[febf::1]/', 'link-local range fe80::/10'],
  // userinfo tricks
  ['userinfo that looks like the host', 'http://crm.example@127.0.0.1/', CREDENTIALS],
  ['userinfo with a port', 'http://crm.example:443@10.0.0.5/', CREDENTIALS],
  ['encoded @ in userinfo', 'http://user%40crm.example@[::1]/', CREDENTIALS],
  ['encoded # in userinfo', 'http://127.0.0.1%2523@crm.example/', CREDENTIALS],
  ['empty userinfo', 'http://:@127.0.0.1/', LOOPBACK],
  ['bare @', 'http://@127.0.0.1/', LOOPBACK],
  ['fragment hiding the host', 'http://127.0.0.1#@crm.example/', LOOPBACK],
  ['backslash hiding the host', 'http://127.0.0.1\\@crm.example/', LOOPBACK],
  // Redis and Postgres ports, by address
  ['Redis port', 'http://127.0.0.1:6379/', LOOPBACK],
  ['Redis port on 0', 'http://0:6379/', 'unspecified range 0.0.0.0/8'],
  ['Postgres port', 'http://[::1]:5432/', 'loopback range ::1/128'],
  ['Redis port on a private address', 'http://10.0.0.5:6379/', 'private range 10.0.0.0/8'],
];

const SCHEMES: Row[] = [
  ['dict', 'dict://127.0.0.1:6379/info', SCHEME],
  ['gopher to Redis', 'gopher://127.0.0.1:6379/_FLUSHALL', SCHEME],
  ['redis', 'redis://127.0.0.1:6379/0', SCHEME],
  ['postgres', 'postgres://127.0.0.1:5432/ringflow', SCHEME],
  ['ldap', 'ldap://127.0.0.1/', SCHEME],
  ['ws', 'ws://127.0.0.1/', SCHEME],
  ['wss', 'wss://crm.example/', SCHEME],
  ['data', 'data:text/plain,hello', SCHEME],
  ['javascript', 'javascript:alert(1)', SCHEME],
  ['jar', 'jar:http://crm.example/a.jar!/', SCHEME],
  ['view-source', 'view-source:http://127.0.0.1/', SCHEME],
  ['blob', 'blob:http://crm.example/0b1c', SCHEME],
];

const NAMES: [item: string, url: string, addresses: string[], reason: string][] = [
  ['name to the metadata address, IPv4-mapped', 'http://crm.example/', ['::ffff:169.254.169.254'], METADATA],
  ['name to NAT64 of loopback', 'http://crm.example/', ['64:ff9b::127.0.0.1'], LOOPBACK],
  ['name to 100.64/10', 'https://crm.example/', ['100.64.0.1'], 'carrier-grade NAT range 100.64.0.0/10'],
  ['name to 172.16/12', 'https://crm.example/', ['172.16.0.1'], 'private range 172.16.0.0/12'],
  ['name to Teredo', 'https://crm.example/', ['2001:0:4136:e378:8000:63bf:3fff:fdd2'], 'Teredo'],
  ['name to Redis on loopback', 'http://cache.example:6379/', ['127.0.0.1'], LOOPBACK],
  ['name to Postgres on a private address', 'http://db.example:5432/', ['10.1.2.3'], 'private range 10.0.0.0/8'],
];

describe('SSRF catalogue (issue #10), no allow-list: refused before any socket is opened', () => {
  let guard: LoopbackConnectGuard;
  let client: SafeHttpClient;
  let resolved: string[];
  beforeEach(() => {
    guard = installLoopbackConnectGuard();
    resolved = [];
  });
  afterEach(async () => {
    await client.close();
    guard.restore();
  });

  const refusal = async (url: string, lookup: HostResolver) => {
    client = new SafeHttpClient({ lookup: async (name) => (resolved.push(name), lookup(name)) });
    const result = await client.request(request(url));
    return result.kind === 'failure' ? result.reason : `not refused: ${JSON.stringify(result)}`;
  };

  it.each(LITERALS)('%s: %s', async (_item, url, reason) => {
    const got = await refusal(url, resolvingTo('93.184.216.34'));
    expect(got).toContain(reason as string);
    expect(got).toMatch(/^request refused: /);
    expect(resolved).toEqual([]);
    expect(guard.attempts).toEqual([]);
  });

  it.each(SCHEMES)('non-HTTP scheme %s: %s', async (_item, url, reason) => {
    expect(await refusal(url, resolvingTo('127.0.0.1'))).toMatch(reason);
    expect(guard.attempts).toEqual([]);
  });

  it.each(NAMES)('%s: %s resolving to %j', async (_item, url, addresses, reason) => {
    const got = await refusal(url, resolvingTo(...addresses));
    expect(got).toContain(reason);
    expect(got).toMatch(/^connection to .* refused: .*\(resolved from [a-z.]+\)$/);
    expect(guard.attempts).toEqual([]);
  });

  it('an IPv6 zone id is not a URL the client accepts', async () => {
    expect(await refusal('http://[fe80::1%25eth0]/', resolvingTo())).toBe('request refused: URL is not valid');
  });

  it('localhost in other spellings, through the system resolver: refused by address, or not found, never connected', async () => {
    client = new SafeHttpClient();
    for (const url of ['http://LOCALHOST:6379/', 'http://localhost.:5432/', 'http://127.0.0.1.:6379/']) {
      const result = await client.request(request(url));
      expect({ url, result }).toEqual({ url, result: { kind: 'failure', reason: expect.stringMatching(/loopback range|host name not found/) } });
    }
    expect(guard.attempts).toEqual([]);
  });
});

describe('SSRF catalogue (issue #10): redirects, only 127.0.0.1 allow-listed for the first hop', () => {
  let guard: LoopbackConnectGuard;
  let server: LocalTestServer;
  let client: SafeHttpClient;
  const to = (location: string) => (_req: unknown, res: { writeHead(s: number, h: Record<string, string>): { end(): void } }) =>
    res.writeHead(302, { Location: location }).end();
  const REDIRECTS: Record<string, [location: string, reason: string | RegExp]> = {
    '/to-loopback-decimal': ['http://2130706434/', 'address 127.0.0.2 is in loopback range 127.0.0.0/8 (literal in URL)'],
    '/to-loopback-hex': ['http://0x7f000002:6379/', 'address 127.0.0.2 is in loopback range 127.0.0.0/8 (literal in URL)'],
    '/to-mapped': ['http://[::ffff:127.0.0.2]/', 'embeds IPv4 127.0.0.2: address 127.0.0.2 is in loopback range 127.0.0.0/8'],
    '/to-ula': ['http://[fd00::1]/', 'address fd00::1 is in unique local range fc00::/7'],
    '/to-cgnat': ['http://100.64.0.1/', 'carrier-grade NAT range 100.64.0.0/10'],
    '/to-metadata-octal': ['http://0251.0376.0251.0376/', METADATA],
    '/to-https-private-name': ['https://intranet.test/', 'connection to https://intranet.test refused: address 10.1.2.3 is in private range 10.0.0.0/8'],
    '/to-gopher-redis': ['gopher://127.0.0.1:6379/_SET%20x%201', 'scheme gopher: is not allowed'],
    '/to-file': ['file:///etc/passwd', 'scheme file: is not allowed'],
    '/to-userinfo': ['http://crm.test@10.0.0.5/', 'carries credentials'],
    '/to-rebinding-name': ['http://rebind.test/', 'address 192.168.0.7 is in private range 192.168.0.0/16 (resolved from rebind.test)'],
  };

  beforeEach(async () => {
    guard = installLoopbackConnectGuard();
    server = await startLocalTestServer(Object.fromEntries(Object.entries(REDIRECTS).map(([path, [location]]) => [path, to(location)])));
    // rebind.test: the first answer is the allow-listed address, every later one a private address.
    let rebinds = 0;
    const lookup: HostResolver = async (name) => {
      if (name === 'intranet.test') return [{ address: '10.1.2.3', family: 4 }];
      if (name === 'rebind.test') return [{ address: rebinds++ === 0 ? '127.0.0.1' : '192.168.0.7', family: 4 }];
      return [{ address: '127.0.0.1', family: 4 }];
    };
    client = new SafeHttpClient({ allowCidrs: ['127.0.0.1/32'], lookup, maxRedirects: 3 });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
    guard.restore();
  });

  it.each(Object.keys(REDIRECTS))('refuses the redirect of %s before connecting to its target', async (path) => {
    if (path === '/to-rebinding-name') {
      // The name first answers the allowed address (a request to it connects), then a private one.
      const first = await client.request(request(`http://rebind.test:${server.port}/not-there`));
      expect(first).toMatchObject({ kind: 'response', status: 404 });
    }
    const result = await client.request(request(`http://crm.test:${server.port}${path}`));
    expect(result).toEqual({ kind: 'failure', reason: expect.stringContaining(REDIRECTS[path][1] as string) });
    expect(guard.attempts.every((address) => address === '127.0.0.1')).toBe(true);
    expect(server.requests.map((r) => r.line)).toEqual([...(path === '/to-rebinding-name' ? ['GET /not-there'] : []), `GET ${path}`]);
  });

  it('follows an http to https redirect when the target is allowed (only https to http is refused)', async () => {
    const secureish = await startLocalTestServer({ '/': (_req, res) => res.writeHead(200).end('ok') });
    const upgrade = await startLocalTestServer({ '/up': to(`https://crm.test:${secureish.port}/`) });
    try {
      const result = await client.request(request(`http://crm.test:${upgrade.port}/up`));
      // The target speaks plain HTTP on that port, so the TLS handshake fails: what matters is that it was tried, on an allowed address.
      expect(result).toMatchObject({ kind: 'failure', reason: expect.stringContaining(`https://crm.test:${secureish.port}`) });
      expect(guard.attempts.every((address) => address === '127.0.0.1')).toBe(true);
    } finally {
      await upgrade.close();
      await secureish.close();
    }
  });
});
