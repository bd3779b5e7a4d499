import { GraphQLError } from 'graphql';
import { type ApiKeyAuthenticator, TenancyException } from '@ringflow/tenancy';
import { withKeyRecheck } from '../key-recheck';

describe("a subscription's key check", () => {
  it('reads without a check until the interval has passed, then ends UNAUTHENTICATED once the key is refused', async () => {
    let revoked = false;
    const checks: (string | undefined)[] = [];
    const authenticator = {
      authenticate: async (header: string | undefined) => {
        checks.push(header);
        if (revoked) throw new TenancyException('unauthenticated', 'API key was revoked at 2026-11-22T01:00:00.000Z');
        return { kind: 'operator' };
      },
    } as unknown as ApiKeyAuthenticator;

    const patient = withKeyRecheck(authenticator, 'Bearer k', async () => 'value', 60_000);
    expect(await patient()).toBe('value');
    expect(checks).toEqual([]);

    const eager = withKeyRecheck(authenticator, 'Bearer k', async () => 'value', 0);
    expect(await eager()).toBe('value');
    expect(checks).toEqual(['Bearer k']);
    revoked = true;
    const refused = await eager().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused).toMatchObject({ message: 'API key was revoked at 2026-11-22T01:00:00.000Z', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
