import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { TenantId } from './tenant-id';

/**
 * The one way to touch tenant data: a transaction with `app.tenant_id` set locally, so row-level
 * security sees only that tenant's rows even where a query forgets its own tenant filter.
 */
@Injectable()
export class TenantDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(tenantId: TenantId, work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (typeof tenantId !== 'string' || this.dataSource.options.isolationLevel) {
      return this.dataSource.transaction(async (em) => {
        await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
        return work(em);
      });
    }
    // The tenant rides with TypeORM's `START TRANSACTION` in one simple-protocol message (two statements, one round
    // trip), quoted as a literal: the same transaction-local setting, set before any of `work`'s statements runs.
    const runner = this.dataSource.createQueryRunner();
    const query = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
    let begun = false;
    runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
      if (begun || sql !== 'START TRANSACTION' || parameters !== undefined) return query(sql, parameters, structured);
      begun = true;
      return query(`START TRANSACTION; SELECT set_config('app.tenant_id', ${escapeLiteral(tenantId)}, true)`, undefined, structured);
    }) as typeof runner.query;
    try {
      return await runner.manager.transaction((em) => {
        if (!begun) throw new Error('TenantDatabase.run: the transaction did not begin with START TRANSACTION, so the tenant is not set');
        return work(em);
      });
    } finally {
      await runner.release();
    }
  }

  /**
   * One statement in one round trip: `set_config` and the statement travel as one simple-protocol message, which
   * Postgres runs as one implicit transaction (the setting lasts until it ends; an error undoes both). `$1`, `$2`...
   * in `sql` are replaced by `parameters` quoted as literals (null as NULL), so `sql` must hold no other `$`.
   * Returns the statement's rows; a failure is a QueryFailedError, as from `run`.
   */
  async runStatement(tenantId: TenantId, sql: string, parameters: readonly (string | null)[]): Promise<Record<string, any>[]> {
    if (typeof tenantId !== 'string' || this.dataSource.options.isolationLevel) {
      return this.run(tenantId, (em) => em.query(sql, [...parameters]));
    }
    const bound = sql.replace(/\$(\d+)/g, (_, n: string) => {
      const value = parameters[Number(n) - 1];
      if (value === undefined) throw new Error(`TenantDatabase.runStatement: no parameter $${n}`);
      if (value === null) return 'NULL';
      if (value.includes('\0')) throw new QueryFailedError(sql, [...parameters], new Error(`parameter $${n} contains a NUL character, which Postgres cannot store`));
      return escapeLiteral(value);
    });
    const text = `SELECT set_config('app.tenant_id', ${escapeLiteral(tenantId)}, true); ${bound}`;
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as { query(text: string): Promise<{ rows: Record<string, any>[] }[]> };
      const results = await client.query(text).catch((error: Error) => {
        throw new QueryFailedError(sql, [...parameters], error);
      });
      return results[results.length - 1].rows;
    } finally {
      await runner.release();
    }
  }

  /** Which tenant owns a number (E.164); the gateway's first question on a webhook. */
  async tenantForNumber(e164: string): Promise<TenantId | undefined> {
    const [row] = await this.dataSource.query('SELECT ringflow_tenant_for_number($1) AS tenant_id', [e164]);
    return (row?.tenant_id ?? undefined) as TenantId | undefined;
  }

  /** The key row matching a hash, before any tenant is known (see ringflow_find_api_key). */
  async findApiKeyByHash(hash: Buffer): Promise<
    { tenantId: TenantId; id: string; role: string; expiresAt: Date | null; revokedAt: Date | null } | undefined
  > {
    const [row] = await this.dataSource.query('SELECT * FROM ringflow_find_api_key($1)', [hash]);
    if (!row) return undefined;
    return { tenantId: row.tenant_id, id: row.id, role: row.role, expiresAt: row.expires_at, revokedAt: row.revoked_at };
  }
}
