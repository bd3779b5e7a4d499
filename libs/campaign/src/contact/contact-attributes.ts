/** A contact's free-form attributes: a flat object of short strings, numbers and booleans. */
export type ContactAttributes = Record<string, string | number | boolean>;

export const CONTACT_ATTRIBUTE_LIMITS = { keys: 50, keyLength: 64, valueLength: 500, bytes: 8192 } as const;

const KEY = new RegExp(`^[A-Za-z][A-Za-z0-9_-]{0,${CONTACT_ATTRIBUTE_LIMITS.keyLength - 1}}$`);

/** Why `key` cannot name an attribute, or null when it can. */
export function attributeKeyProblem(key: string): string | null {
  return KEY.test(key) ? null : `"${key}" is not an attribute name (a letter, then up to ${CONTACT_ATTRIBUTE_LIMITS.keyLength - 1} letters, digits, "_" or "-")`;
}

/**
 * The first problem with a contact's attributes, naming the attribute at fault (`attributes.<key>`),
 * or null when they can be stored.
 */
export function attributesProblem(attributes: unknown): { field: string; message: string } | null {
  if (attributes === undefined || attributes === null) return null;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) return { field: 'attributes', message: 'attributes must be an object of names to values' };
  const entries = Object.entries(attributes);
  if (entries.length > CONTACT_ATTRIBUTE_LIMITS.keys) {
    return { field: 'attributes', message: `a contact has at most ${CONTACT_ATTRIBUTE_LIMITS.keys} attributes, not ${entries.length}` };
  }
  for (const [key, value] of entries) {
    const badKey = attributeKeyProblem(key);
    if (badKey) return { field: `attributes.${key}`, message: badKey };
    const field = `attributes.${key}`;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field, message: `${key} must not contain a NUL character` };
      if (value.length > CONTACT_ATTRIBUTE_LIMITS.valueLength) return { field, message: `${key} must be at most ${CONTACT_ATTRIBUTE_LIMITS.valueLength} characters, not ${value.length}` };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { field, message: `${key} must be a finite number` };
    } else if (typeof value !== 'boolean') {
      return { field, message: `${key} must be a string, a number or a boolean` };
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(attributes));
  if (bytes > CONTACT_ATTRIBUTE_LIMITS.bytes) return { field: 'attributes', message: `attributes take at most ${CONTACT_ATTRIBUTE_LIMITS.bytes} bytes as JSON, not ${bytes}` };
  return null;
}
