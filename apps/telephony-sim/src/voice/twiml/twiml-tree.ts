import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ElementRule } from './twiml-grammar';
import { TwimlError } from './twiml-error';

/** An element of a TwiML document: its name, attributes, text and child elements, in order. */
export interface TwimlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: TwimlElement[];
  /** Text and child elements in document order (mixed content, as in SSML). */
  parts: (string | TwimlElement)[];
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
});

function toElement(node: OrderedNode, path: string): TwimlElement | string | null {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name === '#comment') return null;
  if (name === '#text') return String(node['#text']);
  const here = `${path}/${name}`;
  const element: TwimlElement = { name, attributes: { ...(node[':@'] ?? {}) }, text: '', children: [], parts: [] };
  for (const child of (node[name] as OrderedNode[]) ?? []) {
    const converted = toElement(child, here);
    if (converted === null) continue;
    element.parts.push(converted);
    if (typeof converted === 'string') element.text += (element.text ? ' ' : '') + converted;
    else element.children.push(converted);
  }
  return element;
}

function check(element: TwimlElement, rules: Record<string, ElementRule>, path: string): void {
  const here = `${path}/${element.name}`;
  const rule = rules[element.name];
  if (!rule) throw new TwimlError(12200, `${path || '/'}: <${element.name}> is not a TwiML verb or noun Twilio knows here`);
  for (const attr of Object.keys(element.attributes)) {
    if (!rule.attributes.includes('*') && !rule.attributes.includes(attr)) {
      throw new TwimlError(12200, `${here}: <${element.name}> has no attribute "${attr}"`);
    }
  }
  if (element.text && !rule.text) {
    throw new TwimlError(12200, `${here}: <${element.name}> may not contain text ("${element.text.slice(0, 40)}")`);
  }
  for (const child of element.children) {
    if (!rules[child.name]) throw new TwimlError(12200, `${here}: <${child.name}> is not a TwiML verb or noun Twilio knows here`);
    if (!rule.children.includes(child.name)) {
      throw new TwimlError(12200, `${here}: <${child.name}> may not be nested in <${element.name}>`);
    }
    check(child, rules, here);
  }
}

/** Parses and checks a TwiML document against a grammar; throws TwimlError with the reason. */
export function parseTwimlTree(xml: string, rules: Record<string, ElementRule>): TwimlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new TwimlError(12100, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const roots = (parser.parse(xml) as OrderedNode[])
    .map((n) => toElement(n, ''))
    .filter((n): n is TwimlElement | string => n !== null);
  const elements = roots.filter((n): n is TwimlElement => typeof n !== 'string');
  if (elements.length !== 1 || roots.length !== 1 || elements[0].name !== 'Response') {
    throw new TwimlError(12100, `the document's root must be a single <Response>, found ${roots.map((r) => (typeof r === 'string' ? 'text' : `<${r.name}>`)).join(', ') || 'nothing'}`);
  }
  check(elements[0], rules, '');
  return elements[0];
}
