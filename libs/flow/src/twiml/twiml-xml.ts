// The few XML rules the twilio SDK's TwiML builder (xmlbuilder 13 under twilio 6) applies, for rendering without it.
// twiml-renderer.spec.ts holds the output to the builder's, byte for byte, over random documents.

export const TWIML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Attribute values as the builder takes them: undefined and null leave the attribute out; arrays are joined by spaces. */
export type Attributes = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** Characters XML 1.0 does not allow (xmlbuilder's check): C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates. */
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const illegalChar = /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const textSpecial = /[&<>\r]/;
const attributeSpecial = /[&<"\t\n\r]/;

/** Element text: `&`, `<`, `>` and CR escaped; a character XML cannot carry is an error (the builder's too), named by position only. */
export function escapeText(value: string): string {
  const escaped = textSpecial.test(value)
    ? value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;')
    : value;
  const illegal = illegalChar.exec(escaped);
  if (illegal) throw new Error(`Invalid character in TwiML text at index ${illegal.index}`);
  return escaped;
}

/** Attribute values: `&`, `<`, `"`, tab, LF and CR escaped (the builder does not check them for illegal characters). */
export function escapeAttribute(value: string): string {
  if (!attributeSpecial.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

/**
 * One element: attributes in the order given, then its text and/or child markup; with neither (or empty text) it is
 * self-closing, as the builder writes it.
 */
export function element(name: string, attributes: Attributes, text?: string | null, children = ''): string {
  let open = `<${name}`;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    open += ` ${key}="${escapeAttribute(`${Array.isArray(value) ? value.join(' ') : String(value)}`)}"`;
  }
  const content = (text === undefined || text === null ? '' : escapeText(String(text))) + children;
  return content === '' ? `${open}/>` : `${open}>${content}</${name}>`;
}
