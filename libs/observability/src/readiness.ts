/** One dependency `/readyz` checks; `check` rejects (or resolves false) when it is not usable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean | void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/**
 * Runs every check at once, each bounded by a timeout so a hung dependency cannot hang the probe. The default stays
 * under a second, a probe's usual deadline (Kubernetes' `timeoutSeconds` defaults to 1): a Redis command waiting in
 * ioredis's offline queue while it reconnects then gets a 503 in time, not a probe that times out with no answer.
 */
export async function runReadinessChecks(checks: ReadinessCheck[], timeoutMs = 800): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const ok = (await Promise.race([check(), timeout])) !== false;
        return [name, ok ? { ok } : { ok, error: 'check failed' }] as const;
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report = Object.fromEntries(results);
  return { ready: results.every(([, r]) => r.ok), checks: report };
}
