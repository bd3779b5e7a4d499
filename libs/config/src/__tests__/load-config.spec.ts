import { z } from 'zod';
import { ConfigError, envFields, loadConfig } from '@ringflow/config';

const schema = z.object({
  DATABASE_URL: envFields.DATABASE_URL,
  PORT: envFields.PORT,
  SECRETS_KEY: envFields.SECRETS_KEY,
});
const good = {
  DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
  PORT: '3000',
  SECRETS_KEY: 'a'.repeat(64),
};

describe('loadConfig', () => {
  it('returns typed values when every variable is valid', () => {
    expect(loadConfig('gateway', schema, good)).toEqual({ ...good, PORT: 3000 });
  });

  it('names a missing variable', () => {
    const { PORT: _drop, ...env } = good;
    expect(() => loadConfig('gateway', schema, env)).toThrow(/PORT: is required but not set/);
  });

  it('names every malformed variable at once, without echoing the value', () => {
    let error: unknown;
    try {
      loadConfig('gateway', schema, { ...good, DATABASE_URL: 'mysql://x', SECRETS_KEY: 'hunter2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^gateway: invalid configuration/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres: or postgresql: URL/);
    expect(message).toMatch(/SECRETS_KEY: must be 32 bytes/);
    expect(message).not.toContain('hunter2');
  });

  it('accepts a base64 secrets key of 32 bytes', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig('gateway', schema, { ...good, SECRETS_KEY: key }).SECRETS_KEY).toBe(key);
  });

  it('reads TRUSTED_PROXIES as addresses and CIDR ranges (loopback when unset, none on request) and names a bad entry', () => {
    const proxies = z.object({ TRUSTED_PROXIES: envFields.TRUSTED_PROXIES, HOST: envFields.HOST });
    expect(loadConfig('gateway', proxies, {})).toEqual({ TRUSTED_PROXIES: ['127.0.0.0/8', '::1/128'], HOST: '0.0.0.0' });
    expect(loadConfig('gateway', proxies, { TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16 ,fd00::/8', HOST: '127.0.0.1' }))
      .toEqual({ TRUSTED_PROXIES: ['10.0.0.5', '10.1.0.0/16', 'fd00::/8'], HOST: '127.0.0.1' });
    expect(loadConfig('gateway', proxies, { TRUSTED_PROXIES: 'none' }).TRUSTED_PROXIES).toEqual([]);
    // A config parsed once parses again to itself (tests derive configs from a parsed one).
    const parsed = proxies.parse({ TRUSTED_PROXIES: '10.0.0.5' });
    expect(proxies.parse(parsed)).toEqual(parsed);
    expect(() => loadConfig('gateway', proxies, { TRUSTED_PROXIES: '10.0.0.5,lb.internal' })).toThrow(/TRUSTED_PROXIES: must be comma-separated IP addresses or CIDR ranges/);
    expect(() => loadConfig('gateway', proxies, { TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig('gateway', proxies, { HOST: 'not a host!' })).toThrow(/HOST: must be an IP address or a host name/);
  });
});
