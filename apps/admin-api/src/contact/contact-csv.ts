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
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => HEADERS[h.trim().toLowerCase()] ?? false),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new TenancyException('invalid-input', `csv could not be read: ${(error as Error).message}`, 'csv');
  }
  const first = records[0];
  if (first && !('phone' in first)) throw new TenancyException('invalid-input', 'csv: the header row must name a phone column', 'csv');
  return records.map((r) => ({ phone: r.phone ?? '', name: r.name || undefined, timeZone: r.timeZone || undefined }));
}
