import { AddressPolicy } from './address-policy';
import { type Hop, isRedirect, nextHop } from './redirect-policy';

describe('nextHop', () => {
  const policy = new AddressPolicy();
  const post: Hop = {
    method: 'POST',
    url: new URL('https://crm.example/api/lookup?n=1'),
    headers: { Authorization: 'Bearer s3cret', Cookie: 'sid=1', 'Content-Type': 'application/json', 'X-Trace': 't' },
    body: '{"caller":"+15550100"}',
  };

  const follow = (hop: Hop, status: number, location: string) => {
    const decision = nextHop(hop, status, location, policy);
    if (decision.kind !== 'follow') throw new Error(`expected to follow, got: ${decision.reason}`);
    return decision.hop;
  };

  it('resolves a relative Location against the current URL', () => {
    expect(follow(post, 307, '../v2/lookup').url.href).toBe('https://crm.example/v2/lookup');
  });

  it('keeps method, body and headers on 307 and 308 to the same origin', () => {
    for (const status of [307, 308]) {
      const hop = follow(post, status, '/v2/lookup');
      expect(hop.method).toBe('POST');
      expect(hop.body).toBe(post.body);
      expect(hop.headers).toEqual(post.headers);
    }
  });

  it('turns a POST into a GET without body or content headers on 301, 302 and 303', () => {
    for (const status of [301, 302, 303]) {
      const hop = follow(post, status, '/result');
      expect(hop.method).toBe('GET');
      expect(hop.body).toBeUndefined();
      expect(hop.headers).toEqual({ Authorization: 'Bearer s3cret', Cookie: 'sid=1', 'X-Trace': 't' });
    }
  });

  it('drops Authorization and Cookie when the redirect leaves the origin', () => {
    const hop = follow(post, 307, 'https://mirror.example/api/lookup');
    expect(hop.headers).toEqual({ 'Content-Type': 'application/json', 'X-Trace': 't' });
  });

  it('refuses an https to http downgrade', () => {
    expect(nextHop(post, 302, 'http://crm.example/plain', policy)).toEqual({
      kind: 'refuse',
      reason: 'redirect from https://crm.example to http://crm.example refused: https to http downgrade',
    });
  });

  it('refuses a redirect to a private address literal, in any spelling', () => {
    for (const location of ['http://10.0.0.5/x', 'https://0xa000005/x', 'https://[::ffff:10.0.0.5]/x']) {
      const decision = nextHop(post, 302, location, policy);
      expect(decision).toMatchObject({ kind: 'refuse' });
      expect(decision.kind === 'refuse' && decision.reason).toContain('10.0.0.5 is in private range 10.0.0.0/8');
    }
  });

  it('refuses a redirect to another scheme or to a URL with credentials, without echoing them', () => {
    expect(nextHop(post, 302, 'file:///etc/passwd', policy)).toEqual({
      kind: 'refuse',
      reason: 'redirect from https://crm.example refused: scheme file: is not allowed (only http: and https:)',
    });
    const withUser = nextHop(post, 302, 'https://admin:hunter2@crm.example/', policy);
    expect(withUser).toMatchObject({ kind: 'refuse' });
    expect(JSON.stringify(withUser)).not.toContain('hunter2');
  });

  it('refuses a Location that is not a URL', () => {
    expect(nextHop(post, 302, 'http://[bad', policy)).toEqual({
      kind: 'refuse',
      reason: 'redirect from https://crm.example has an invalid Location header',
    });
  });
});

describe('isRedirect', () => {
  it('is true only for redirect statuses that carry a Location', () => {
    expect(isRedirect(302, '/next')).toBe(true);
    expect(isRedirect(308, '/next')).toBe(true);
    expect(isRedirect(302, undefined)).toBe(false);
    expect(isRedirect(304, '/next')).toBe(false);
    expect(isRedirect(200, '/next')).toBe(false);
  });
});
