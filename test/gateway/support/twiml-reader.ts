import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, textNodeName: '#text' });

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

export interface TwimlVerb {
  verb: string;
  attributes: Record<string, string>;
  text: string;
  children: TwimlVerb[];
}

function toVerbs(nodes: OrderedNode[]): TwimlVerb[] {
  return nodes.flatMap((node) => {
    const verb = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (!verb) return [];
    const inner = node[verb] as OrderedNode[];
    const text = inner.filter((n) => '#text' in n).map((n) => String(n['#text'])).join('');
    return [{ verb, attributes: node[':@'] ?? {}, text, children: toVerbs(inner) }];
  });
}

/** The verbs of a TwiML document, as a caller's phone would follow them. */
export function readTwiml(twiml: string): TwimlVerb[] {
  const doc = parser.parse(twiml) as OrderedNode[];
  const response = doc.find((n) => 'Response' in n);
  if (!response) throw new Error(`not TwiML: ${twiml}`);
  return toVerbs(response.Response as OrderedNode[]);
}

/** Everything said, in order, prompts inside a Gather included. */
export function spoken(twiml: string): string[] {
  const walk = (verbs: TwimlVerb[]): string[] => verbs.flatMap((v) => (v.verb === 'Say' ? [v.text] : walk(v.children)));
  return walk(readTwiml(twiml));
}

/** Where Twilio would post next: a Gather's action or a Redirect's URL. */
export function nextUrl(twiml: string): string | undefined {
  for (const verb of readTwiml(twiml)) {
    if (verb.verb === 'Gather' || verb.verb === 'Dial' || verb.verb === 'Enqueue' || verb.verb === 'Record') return verb.attributes.action;
    if (verb.verb === 'Redirect') return verb.text;
  }
  return undefined;
}

export function verbs(twiml: string): string[] {
  return readTwiml(twiml).map((v) => v.verb);
}
