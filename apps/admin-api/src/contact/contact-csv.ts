import { parse } from 'csv-parse/sync';
import { attributeKeyProblem, type ContactInput } from '@ringflow/campaign';
import { TenancyException } from '@ringflow/tenancy';

type ContactField = 'phone' | 'name' | 'timeZone';
const HEADERS: Record<string, ContactField> = { phone: 'phone', number: 'phone', name: 'name', timezone: 'timeZone', time_zone: 'timeZone', tz: 'timeZone' };
/** Record keys of attribute columns carry this prefix, so an attribute never collides with a contact field. */
const ATTRIBUTE = 'attribute:';

const refuse = (message: string) => new TenancyException('invalid-input', message, 'csv');

/** The record key of one header cell: a contact field, an attribute, or false (an empty header cell is skipped). */
function columnOf(header: string, seen: Set<string>): string | false {
  const trimmed = header.trim();
  const field = HEADERS[trimmed.toLowerCase()];
  if (field) return field;
  if (trimmed === '') return false;
  const problem = attributeKeyProblem(trimmed);
  if (problem) throw refuse(`csv: column ${problem}`);
  if (seen.has(trimmed)) throw refuse(`csv: column "${trimmed}" appears twice`);
  seen.add(trimmed);
  return `${ATTRIBUTE}${trimmed}`;
}

/**
 * Contacts from CSV text with a header row naming `phone` and optionally `name` and `timeZone`
 * (case-blind; `number`, `time_zone`, `tz` also read). Every other named column is an attribute of that
 * name (empty cells are left out). Row n is the n-th line after the header.
 */
export function contactsFromCsv(csv: string): ContactInput[] {
  let records: Record<string, string>[];
  let hasPhone = false;
  try {
    records = parse(csv, {
      columns: (header: string[]) => {
        const seen = new Set<string>();
        const columns = header.map((h) => columnOf(h, seen));
        hasPhone = columns.includes('phone');
        return columns;
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (error) {
    if (error instanceof TenancyException) throw error;
    throw refuse(`csv could not be read: ${(error as Error).message}`);
  }
  if (!hasPhone) throw refuse('csv: the header row must name a phone column');
  return records.map((r) => {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(r)) if (key.startsWith(ATTRIBUTE) && value) attributes[key.slice(ATTRIBUTE.length)] = value;
    return {
      phone: r.phone ?? '', name: r.name || undefined, timeZone: r.timeZone || undefined,
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    };
  });
}
