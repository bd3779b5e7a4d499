import { Injectable } from '@nestjs/common';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { type Page, type PageRequest, pageOf, pageSize } from '../paging/keyset-page';
import type { PromotionEntity } from './promotion.entity';
import { promotionFromJson } from './promotion-row';

/** A tenant's promotions, newest first, a page at a time. */
@Injectable()
export class PromotionListingService {
  constructor(private readonly db: TenantDatabase) {}

  async page(tenantId: TenantId, request: PageRequest): Promise<Page<PromotionEntity>> {
    const size = pageSize(request);
    const rows: Array<{ p: Record<string, unknown> }> = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT to_jsonb(p) AS p FROM promotions p
          WHERE p.tenant_id = $1
            AND ($2::text IS NULL OR (p.created_at, p.id) < (SELECT created_at, id FROM promotions WHERE tenant_id = $1 AND id::text = $2))
          ORDER BY p.created_at DESC, p.id DESC LIMIT $3`,
        [tenantId, request.after ?? null, size + 1],
      ),
    );
    return pageOf(rows.map((row) => promotionFromJson(row.p)), size);
  }
}
