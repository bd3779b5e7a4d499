import { Injectable } from '@nestjs/common';
import { audit, TenancyException, TenantDatabase, type TenantId, toE164 } from '@ringflow/tenancy';
import { CampaignException, CampaignExceptionCode } from '../campaign/campaign.exception';
import { isValidTimeZone } from '../pacing/calling-window';
import { attributesProblem, type ContactAttributes } from './contact-attributes';

export * from './contact-attributes';

export interface ContactInput {
  phone: string;
  name?: string;
  /** IANA zone; when absent, the calling window follows the number's country, else the tenant's zone. */
  timeZone?: string;
  /** Free-form values (see contact-attributes.ts); on a known number they are merged over the stored ones. */
  attributes?: ContactAttributes;
}

export interface ContactList {
  id: string;
  name: string;
}

const invalid = (field: string, message: string) => new CampaignException(CampaignExceptionCode.InvalidInput, message, field);

function checkContact(input: ContactInput, index: number): { phone: string; name: string | null; timeZone: string | null; attributes: string } {
  const field = `contacts[${index}]`;
  let phone: string;
  try {
    phone = toE164(input.phone, `${field}.phone`);
  } catch (error) {
    if (error instanceof TenancyException) throw invalid(`${field}.phone`, error.message);
    throw error;
  }
  const name = input.name?.trim() || null;
  if (name && name.length > 200) throw invalid(`${field}.name`, `${field}.name must be at most 200 characters`);
  if (name?.includes('\u0000')) throw invalid(`${field}.name`, `${field}.name must not contain a NUL character`);
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) {
    throw invalid(`${field}.timeZone`, `${field}.timeZone "${input.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  }
  const badAttributes = attributesProblem(input.attributes);
  if (badAttributes) throw invalid(`${field}.${badAttributes.field}`, `${field}: ${badAttributes.message}`);
  return { phone, name, timeZone: input.timeZone ?? null, attributes: JSON.stringify(input.attributes ?? {}) };
}

/** Contacts, contact lists and the tenant's do-not-call list. */
@Injectable()
export class ContactsService {
  constructor(private readonly db: TenantDatabase) {}

  async createList(tenantId: TenantId, name: string, actor: string): Promise<ContactList> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw invalid('name', 'name must be 1 to 200 characters');
    return this.db.run(tenantId, async (em) => {
      const [row] = await em.query(`INSERT INTO contact_lists (tenant_id, name) VALUES ($1, $2) RETURNING id, name`, [tenantId, trimmed]);
      await audit(em, tenantId, { actor, action: 'contact-list.create', targetType: 'contact-list', targetId: row.id, details: { name: trimmed } });
      return row as ContactList;
    });
  }

  /**
   * Adds contacts to a list: every number is checked first (E.164 via libphonenumber) and one bad entry
   * rejects the whole batch, naming it. A number already known is updated, not duplicated.
   */
  async addToList(tenantId: TenantId, listId: string, contacts: ContactInput[], actor: string): Promise<{ contactIds: string[] }> {
    const byPhone = new Map(contacts.map(checkContact).map((c) => [c.phone, c]));
    const checked = [...byPhone.values()];
    return this.db.run(tenantId, async (em) => {
      const [list] = await em.query(`SELECT id FROM contact_lists WHERE tenant_id = $1 AND id = $2`, [tenantId, listId]);
      if (!list) throw new CampaignException(CampaignExceptionCode.NotFound, `contact list ${listId} not found`, 'listId');
      const contactIds: string[] = [];
      for (let i = 0; i < checked.length; i += 5000) {
        const batch = checked.slice(i, i + 5000);
        const rows: Array<{ id: string }> = await em.query(
          `INSERT INTO contacts (tenant_id, phone, name, time_zone, attributes)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[])
           ON CONFLICT (tenant_id, phone) DO UPDATE SET name = COALESCE(EXCLUDED.name, contacts.name),
             time_zone = COALESCE(EXCLUDED.time_zone, contacts.time_zone), attributes = contacts.attributes || EXCLUDED.attributes
           RETURNING id`,
          [tenantId, batch.map((c) => c.phone), batch.map((c) => c.name), batch.map((c) => c.timeZone), batch.map((c) => c.attributes)],
        );
        const ids = rows.map((r) => r.id);
        await em.query(
          `INSERT INTO contact_list_members (tenant_id, list_id, contact_id) SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING`,
          [tenantId, listId, ids],
        );
        contactIds.push(...ids);
      }
      await audit(em, tenantId, { actor, action: 'contact-list.add', targetType: 'contact-list', targetId: listId, details: { count: checked.length } });
      return { contactIds };
    });
  }

  /** Puts a number on the tenant's do-not-call list; campaigns check it at every dial. */
  async optOut(tenantId: TenantId, phone: string, source: string, actor: string): Promise<void> {
    const e164 = checkContact({ phone }, 0).phone;
    await this.db.run(tenantId, async (em) => {
      await em.query(`INSERT INTO opt_outs (tenant_id, phone, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [tenantId, e164, source]);
      await audit(em, tenantId, { actor, action: 'opt-out.add', targetType: 'opt-out', details: { source } });
    });
  }

  async isOptedOut(tenantId: TenantId, phone: string): Promise<boolean> {
    const rows = await this.db.run(tenantId, (em) => em.query(`SELECT 1 FROM opt_outs WHERE tenant_id = $1 AND phone = $2`, [tenantId, phone]));
    return rows.length > 0;
  }
}
