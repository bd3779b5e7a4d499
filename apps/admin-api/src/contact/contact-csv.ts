import { parse } from 'csv-parse/sync';
import type { ContactInput } from '@ringflow/campaign';
import { TenancyException } from '@ringflow/tenancy';

const HEADERS: Record<string, keyof ContactInput> = { phone: 'phone', number: 'phone', name: 'name', timezone: 'timeZone', time_zone: 'timeZone', tz: 'timeZone' };

/**
 * Contacts from CSV text with a header row naming `phone` and optionally `name` and `timeZone`
 * (case-blind; `number`, `time_zone`, `tz` also read). Row n is the n-th line after the header.
 */
export function contactsFromCsv(csv: string): ContactInput[] {
  let records: Record<string, string>[];
  let hasPhone = false;
  try {
    records = parse(csv, {
      columns: (header: string[]) => {
        const columns = header.map((h) => HEADERS[h.trim().toLowerCase()] ?? false);
        hasPhone = columns.includes('phone');
        return columns;
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new TenancyException('invalid-input', `csv could not be read: ${(error as Error).message}`, 'csv');
  }
  if (!hasPhone) throw new TenancyException('invalid-input', 'csv: the header row must name a phone column', 'csv');
  return records.map((r) => ({ phone: r.phone ?? '', name: r.name || undefined, timeZone: r.timeZone || undefined }));
}
