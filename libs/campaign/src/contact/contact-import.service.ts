import { Injectable } from '@nestjs/common';
import { isUuid, TenancyException, type TenantId, toE164 } from '@ringflow/tenancy';
import { isValidTimeZone } from '../pacing/calling-window';
import { CampaignException, CampaignExceptionCode } from '../campaign/campaign.exception';
import { attributesProblem } from './contact-attributes';
import { type ContactInput, ContactsService } from './contacts.service';

/** A row that was not imported: its 1-based number among the data rows, the field at fault and why. */
export interface ContactRowError {
  row: number;
  field: string;
  message: string;
}

export interface ContactImportResult {
  imported: number;
  errors: ContactRowError[];
}

export const MAX_IMPORT_ROWS = 50_000;

function rowProblem(input: ContactInput): Omit<ContactRowError, 'row'> | null {
  try {
    toE164(input.phone ?? '', 'phone');
  } catch (error) {
    if (error instanceof TenancyException) return { field: 'phone', message: error.message };
    throw error;
  }
  const name = input.name?.trim();
  if (name && name.length > 200) return { field: 'name', message: 'name must be at most 200 characters' };
  // Postgres text cannot hold NUL: refuse the row instead of failing the whole import.
  if (name?.includes('\u0000')) return { field: 'name', message: 'name must not contain a NUL character' };
  if (input.timeZone && !isValidTimeZone(input.timeZone)) {
    return { field: 'timeZone', message: `timeZone "${input.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)` };
  }
  return attributesProblem(input.attributes);
}

/**
 * Imports many contacts into a list: each row is checked on its own, the rows at fault are reported and
 * the others are added in one transaction (numbers normalised to E.164; a known number is updated).
 */
@Injectable()
export class ContactImportService {
  constructor(private readonly contacts: ContactsService) {}

  async import(tenantId: TenantId, listId: string, rows: ContactInput[], actor: string): Promise<ContactImportResult> {
    if (!isUuid(listId)) throw new CampaignException(CampaignExceptionCode.InvalidInput, 'listId must be a UUID', 'listId');
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new CampaignException(CampaignExceptionCode.InvalidInput, `an import takes at most ${MAX_IMPORT_ROWS} rows, not ${rows.length}`, 'rows');
    }
    const errors: ContactRowError[] = [];
    const good: ContactInput[] = [];
    rows.forEach((input, index) => {
      const problem = rowProblem(input);
      if (problem) errors.push({ row: index + 1, ...problem });
      else good.push({ phone: input.phone, name: input.name?.trim() || undefined, timeZone: input.timeZone || undefined, attributes: input.attributes ?? undefined });
    });
    // With no good row this still checks that the list exists.
    const { contactIds } = await this.contacts.addToList(tenantId, listId, good, actor);
    return { imported: contactIds.length, errors };
  }
}
