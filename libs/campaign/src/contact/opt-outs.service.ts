import { Injectable } from '@nestjs/common';
import { audit, TenancyException, TenantDatabase, type TenantId, toE164 } from '@ringflow/tenancy';
import { CampaignException, CampaignExceptionCode } from '../campaign/campaign.exception';
import { type Page, type PageRequest, pageOf, pageSize } from '../paging/keyset-page';

export interface OptOut {
  phone: string;
  source: string;
  createdAt: Date;
}

function e164(phone: string): string {
  try {
    return toE164(phone, 'phone');
  } catch (error) {
    if (error instanceof TenancyException) throw new CampaignException(CampaignExceptionCode.InvalidInput, error.message, 'phone');
    throw error;
  }
}

/** Reads and trims the tenant's do-not-call list (ContactsService.optOut adds to it). */
@Injectable()
export class OptOutsService {
  constructor(private readonly db: TenantDatabase) {}

  async page(tenantId: TenantId, request: PageRequest): Promise<Page<OptOut>> {
    const size = pageSize(request);
    const rows = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT phone, source, created_at FROM opt_outs o
          WHERE o.tenant_id = $1
            AND ($2::text IS NULL OR (o.created_at, o.phone) < (SELECT created_at, phone FROM opt_outs WHERE tenant_id = $1 AND phone = $2))
          ORDER BY o.created_at DESC, o.phone DESC LIMIT $3`,
        [tenantId, request.after ?? null, size + 1],
      ),
    );
    return pageOf(rows.map((r: any) => ({ phone: r.phone, source: r.source, createdAt: r.created_at })), size);
  }

  async find(tenantId: TenantId, phone: string): Promise<OptOut | null> {
    const [row] = await this.db.run(tenantId, (em) => em.query(`SELECT phone, source, created_at FROM opt_outs WHERE tenant_id = $1 AND phone = $2`, [tenantId, e164(phone)]));
    return row ? { phone: row.phone, source: row.source, createdAt: row.created_at } : null;
  }

  /** Takes a number off the list: campaigns may call it again. */
  async remove(tenantId: TenantId, phone: string, actor: string): Promise<OptOut> {
    const number = e164(phone);
    return this.db.run(tenantId, async (em) => {
      const [rows] = await em.query(`DELETE FROM opt_outs WHERE tenant_id = $1 AND phone = $2 RETURNING phone, source, created_at`, [tenantId, number]);
      if (!rows[0]) throw new CampaignException(CampaignExceptionCode.NotFound, 'that number is not on the opt-out list', 'phone');
      await audit(em, tenantId, { actor, action: 'opt-out.remove', targetType: 'opt-out', details: { source: rows[0].source } });
      return { phone: rows[0].phone, source: rows[0].source, createdAt: rows[0].created_at };
    });
  }
}
