import { Injectable } from '@nestjs/common';
import { isUuid, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { CampaignException, CampaignExceptionCode } from '../campaign/campaign.exception';
import { type Page, type PageRequest, pageOf, pageSize } from '../paging/keyset-page';

export interface ContactListSummary {
  id: string;
  name: string;
  contactCount: number;
  createdAt: Date;
}

export interface ListedContact {
  id: string;
  phone: string;
  name: string | null;
  timeZone: string | null;
  attributes: Record<string, unknown>;
  addedAt: Date;
}

const notFound = (listId: string) => new CampaignException(CampaignExceptionCode.NotFound, `contact list ${listId} not found`, 'listId');

/** Reads contact lists and their members, a page at a time (newest first). */
@Injectable()
export class ContactListingService {
  constructor(private readonly db: TenantDatabase) {}

  async lists(tenantId: TenantId, request: PageRequest): Promise<Page<ContactListSummary>> {
    const size = pageSize(request);
    const rows = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT l.id, l.name, l.created_at,
                (SELECT count(*) FROM contact_list_members m WHERE m.tenant_id = l.tenant_id AND m.list_id = l.id)::int AS contact_count
           FROM contact_lists l
          WHERE l.tenant_id = $1
            AND ($2::text IS NULL OR (l.created_at, l.id) < (SELECT created_at, id FROM contact_lists WHERE tenant_id = $1 AND id::text = $2))
          ORDER BY l.created_at DESC, l.id DESC LIMIT $3`,
        [tenantId, request.after ?? null, size + 1],
      ),
    );
    return pageOf(rows.map((r: any) => ({ id: r.id, name: r.name, contactCount: r.contact_count, createdAt: r.created_at })), size);
  }

  async list(tenantId: TenantId, listId: string): Promise<ContactListSummary> {
    if (!isUuid(listId)) throw notFound(listId);
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT l.id, l.name, l.created_at,
                (SELECT count(*) FROM contact_list_members m WHERE m.tenant_id = l.tenant_id AND m.list_id = l.id)::int AS contact_count
           FROM contact_lists l WHERE l.tenant_id = $1 AND l.id = $2`,
        [tenantId, listId],
      ),
    );
    if (!row) throw notFound(listId);
    return { id: row.id, name: row.name, contactCount: row.contact_count, createdAt: row.created_at };
  }

  /** Members in the order they were added (the order a campaign calls them). */
  async members(tenantId: TenantId, listId: string, request: PageRequest): Promise<Page<ListedContact>> {
    const size = pageSize(request);
    await this.list(tenantId, listId);
    const rows = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT c.id, c.phone, c.name, c.time_zone, c.attributes, m.added_at FROM contact_list_members m
           JOIN contacts c ON c.tenant_id = m.tenant_id AND c.id = m.contact_id
          WHERE m.tenant_id = $1 AND m.list_id = $2
            AND ($3::text IS NULL OR (m.added_at, m.contact_id) >
                 (SELECT added_at, contact_id FROM contact_list_members WHERE tenant_id = $1 AND list_id = $2 AND contact_id::text = $3))
          ORDER BY m.added_at, m.contact_id LIMIT $4`,
        [tenantId, listId, request.after ?? null, size + 1],
      ),
    );
    return pageOf(rows.map((r: any) => ({ id: r.id, phone: r.phone, name: r.name, timeZone: r.time_zone, attributes: r.attributes, addedAt: r.added_at })), size);
  }
}
