import type { HttpPortRequest } from '@ringflow/flow';
import { type LocalTestServer, startLocalTestServer } from './__tests__/local-test-server';
import { type LoopbackConnectGuard, installLoopbackConnectGuard } from './__tests__/loopback-connect-guard';
import type { HostResolver } from './guarded-lookup';
import { SafeHttpClient } from './safe-http-client';

const request = (over: Partial<HttpPortRequest> & { url: string }): HttpPortRequest => ({
  method: 'GET', headers: {}, timeoutMs: 2_000, maxResponseBytes: 65_536, ...over,
});
const resolvingTo = (...addresses: string[]): HostResolver => async () =>
  addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('SafeHttpClient refusals (no allow-list): nothing is connected to', () => {
  let guard: LoopbackConnectGuard;
  beforeEach(() => (guard = installLoopbackConnectGuard()));
  afterEach(() => guard.restore());

  const refusalOf = async (req: HttpPortRequest, lookup: HostResolver = resolvingTo()) => {
    const client = new SafeHttpClient({ lookup });
    try {
      const result = await client.request(req);
      if (result.kind !== 'failure') throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
      return result.reason;
    } finally {
      await client.close();
    }
  };

  it.each([
    ['http://127.0.0.1/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://2130706433/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://0x7f.1/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://017700000001/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://0177.0.0.1:8080/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://127.1/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://0x7f000001/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://127.0.0.1./', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://%31%32%37.0.0.1/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://\uff11\uff12\uff17.0.0.1/', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://10.0.0.5/', 'address 10.0.0.5 is in private range 10.0.0.0/8'],
    ['http://172.16.8.1/', 'address 172.16.8.1 is in private range 172.16.0.0/12'],
    ['https://192.168.1.1/', 'address 192.168.1.1 is in private range 192.168.0.0/16'],
    ['http://169.254.169.254/latest/meta-data/', 'address 169.254.169.254 is in link-local range 169.254.0.0/16 (cloud metadata endpoint)'],
    ['http://100.64.0.1/', 'address 100.64.0.1 is in carrier-grade NAT range 100.64.0.0/10'],
    ['http://0.0.0.0/', 'address 0.0.0.0 is in unspecified range 0.0.0.0/8'],
    ['http://0/', 'address 0.0.0.0 is in unspecified range 0.0.0.0/8'],
    ['http://224.0.0.1/', 'address 224.0.0.1 is in multicast range 224.0.0.0/4'],
    ['http://250.1.2.3/', 'address 250.1.2.3 is in reserved range 240.0.0.0/4'],
    ['http://[::1]/', 'address ::1 is in loopback range ::1/128'],
    ['http://[::]/', 'address :: is in unspecified range ::/128'],
    ['http://[fc00::1]/', 'address fc00::1 is in unique local range fc00::/7'],
    ['http://[fe80::1]/', 'address fe80::1 is in link-local range fe80::/10'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 embeds IPv4 127.0.0.1: address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['http://[::ffff:a9fe:a9fe]/', '::ffff:a9fe:a9fe embeds IPv4 169.254.169.254: address 169.254.169.254 is in link-local range 169.254.0.0/16 (cloud metadata endpoint)'],
    ['http://[64:ff9b::a00:5]/', '64:ff9b::a00:5 embeds IPv4 10.0.0.5: address 10.0.0.5 is in private range 10.0.0.0/8'],
  ])('refuses the literal %s before connecting', async (url, reason) => {
    expect(await refusalOf(request({ url }))).toBe(`request refused: ${reason} (literal in URL)`);
    expect(guard.attempts).toEqual([]);
  });

  it.each([
    ['127.0.0.1', 'address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['10.0.0.5', 'address 10.0.0.5 is in private range 10.0.0.0/8'],
    ['172.31.0.9', 'address 172.31.0.9 is in private range 172.16.0.0/12'],
    ['192.168.0.10', 'address 192.168.0.10 is in private range 192.168.0.0/16'],
    ['169.254.169.254', 'address 169.254.169.254 is in link-local range 169.254.0.0/16 (cloud metadata endpoint)'],
    ['100.100.100.200', 'address 100.100.100.200 is in carrier-grade NAT range 100.64.0.0/10'],
    ['0.0.0.0', 'address 0.0.0.0 is in unspecified range 0.0.0.0/8'],
    ['239.255.255.250', 'address 239.255.255.250 is in multicast range 224.0.0.0/4'],
    ['::1', 'address ::1 is in loopback range ::1/128'],
    ['::', 'address :: is in unspecified range ::/128'],
    ['fd00:ec2::254', 'address fd00:ec2::254 is in unique local range fc00::/7 (cloud metadata endpoint)'],
    ['fe80::1', 'address fe80::1 is in link-local range fe80::/10'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1 embeds IPv4 127.0.0.1: address 127.0.0.1 is in loopback range 127.0.0.0/8'],
    ['64:ff9b::7f00:1', '64:ff9b::7f00:1 embeds IPv4 127.0.0.1: address 127.0.0.1 is in loopback range 127.0.0.0/8'],
  ])('refuses a name that resolves to %s, at connect time', async (address, reason) => {
    expect(await refusalOf(request({ url: 'https://crm.example/lookup' }), resolvingTo(address))).toBe(
      `connection to https://crm.example refused: ${reason} (resolved from crm.example)`,
    );
    expect(guard.attempts).toEqual([]);
  });

  it('refuses a name when every address it resolves to is refused, listing them', async () => {
    expect(await refusalOf(request({ url: 'http://crm.example/' }), resolvingTo('10.0.0.5', 'fc00::5'))).toBe(
      'connection to http://crm.example refused: address 10.0.0.5 is in private range 10.0.0.0/8; ' +
        'address fc00::5 is in unique local range fc00::/7 (resolved from crm.example)',
    );
  });

  it('refuses localhost through the default resolver (dns.lookup)', async () => {
    const client = new SafeHttpClient();
    try {
      const result = await client.request(request({ url: 'http://localhost:9/' }));
      expect(result).toMatchObject({ kind: 'failure', reason: expect.stringMatching(/loopback range .*\(resolved from localhost\)$/) });
      expect(guard.attempts).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it.each([
    ['ftp://crm.example/file', 'request refused: scheme ftp: is not allowed (only http: and https:)'],
    ['file:///etc/passwd', 'request refused: scheme file: is not allowed (only http: and https:)'],
    ['gopher://crm.example/', 'request refused: scheme gopher: is not allowed (only http: and https:)'],
    ['not a url', 'request refused: URL is not valid'],
    ['http://user:hunter2@crm.example/', 'request refused: URL for host crm.example carries credentials (user:pass@); send them in a header instead'],
  ])('refuses %s', async (url, reason) => {
    expect(await refusalOf(request({ url }))).toBe(reason);
    expect(guard.attempts).toEqual([]);
  });

  it('never puts header values in a reason', async () => {
    const reason = await refusalOf(
      request({ url: 'http://crm.example/', headers: { Authorization: 'Bearer s3cret-token', 'X-Api-Key': 'k-s3cret' } }),
      resolvingTo('10.0.0.5'),
    );
    expect(reason).not.toMatch(/s3cret/);
  });

  it.each([
    [{ headers: { Host: 'internal.svc' } }, 'header Host may not be set by a flow (it is derived from the URL and body)'],
    [{ headers: { 'Transfer-Encoding': 'chunked' } }, 'header Transfer-Encoding may not be set by a flow (it is derived from the URL and body)'],
    [{ timeoutMs: Number.NaN }, 'timeoutMs must be a positive number of milliseconds up to 2147483647, got NaN'],
    [{ timeoutMs: 0 }, 'timeoutMs must be a positive number of milliseconds up to 2147483647, got 0'],
    [{ timeoutMs: 2 ** 31 }, 'timeoutMs must be a positive number of milliseconds up to 2147483647, got 2147483648'],
    [{ maxResponseBytes: -1 }, 'maxResponseBytes must be a non-negative integer, got -1'],
    [{ method: 'DELETE' as 'GET' }, 'method DELETE is not supported (GET or POST)'],
  ])('answers a malformed request %j with a failure instead of throwing', async (over, reason) => {
    expect(await refusalOf({ ...request({ url: 'http://crm.example/' }), ...over })).toBe(reason);
  });

  it('rejects bad construction options with an error that names them', () => {
    expect(() => new SafeHttpClient({ connectionsPerOrigin: 0 })).toThrow(
      'SafeHttpClient option connectionsPerOrigin must be an integer >= 1, got 0',
    );
    expect(() => new SafeHttpClient({ maxRedirects: -1 })).toThrow('SafeHttpClient option maxRedirects must be an integer >= 0, got -1');
    expect(() => new SafeHttpClient({ allowCidrs: ['10.0.0.0'] })).toThrow('allowCidrs entry "10.0.0.0" is not a CIDR range');
  });

  it('answers a header value with a line break with a failure that names the header only', async () => {
    const reason = await refusalOf(
      request({ url: 'http://crm.example/', headers: { 'X-Evil': 'a\r\nX-Injected: s3cret' } }),
      resolvingTo('127.0.0.1'),
    );
    expect(reason).toBe('request to http://crm.example failed: request rejected by the HTTP client (invalid X-Evil header)');
    expect(guard.attempts).toEqual([]);
  });

  it('reports a name that does not resolve', async () => {
    const notFound: HostResolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND crm.invalid'), { code: 'ENOTFOUND' });
    };
    expect(await refusalOf(request({ url: 'http://crm.invalid/' }), notFound)).toBe(
      'request to http://crm.invalid failed: host name not found (getaddrinfo ENOTFOUND crm.invalid)',
    );
  });

  it('times out when DNS is slower than the deadline: the deadline covers resolution too', async () => {
    const slowDns: HostResolver = () =>
      new Promise((resolve) => setTimeout(() => resolve([{ address: '10.0.0.5', family: 4 }]), 800));
    const client = new SafeHttpClient({ lookup: slowDns });
    try {
      expect(await client.request(request({ url: 'http://crm.example/', timeoutMs: 200 }))).toEqual({ kind: 'timeout' });
    } finally {
      await client.close();
    }
  });
});

describe('SafeHttpClient with a DNS answer that changes between connections', () => {
  let guard: LoopbackConnectGuard;
  let server: LocalTestServer;
  beforeEach(async () => {
    guard = installLoopbackConnectGuard();
    // Connection: close forces a new connection, and so a new lookup, for every request.
    server = await startLocalTestServer({ '/': (req, res) => res.writeHead(200, { Connection: 'close' }).end('ok') });
  });
  afterEach(async () => {
    await server.close();
    guard.restore();
  });

  it('checks the address each connection actually uses, so a rebinding answer is refused', async () => {
    const answers = ['127.0.0.1', '10.0.0.5'];
    let calls = 0;
    const rebinding: HostResolver = async () => [{ address: answers[Math.min(calls++, 1)], family: 4 }];
    const client = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], lookup: rebinding });
    try {
      const url = `http://crm.example:${server.port}/`;
      expect(await client.request(request({ url }))).toMatchObject({ kind: 'response', status: 200, body: 'ok' });
      expect(await client.request(request({ url }))).toEqual({
        kind: 'failure',
        reason: `connection to ${url.slice(0, -1)} refused: address 10.0.0.5 is in private range 10.0.0.0/8 (resolved from crm.example)`,
      });
      expect(calls).toBe(2);
      expect(guard.attempts).toEqual(['127.0.0.1']);
    } finally {
      await client.close();
    }
  });

  it('connects only to the admitted addresses of a mixed answer', async () => {
    const client = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], lookup: resolvingTo('10.0.0.5', '127.0.0.1') });
    try {
      const result = await client.request(request({ url: `http://crm.example:${server.port}/` }));
      expect(result).toMatchObject({ kind: 'response', status: 200 });
      expect(guard.attempts).toEqual(['127.0.0.1']);
    } finally {
      await client.close();
    }
  });
});
