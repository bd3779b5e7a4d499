import { Attrs } from './twiml-attributes';
import { TwimlError } from './twiml-error';
import { MESSAGING_RULES } from './twiml-grammar';
import { parseTwimlTree } from './twiml-tree';

export type MessagingVerb =
  | { verb: 'Message'; to: string | null; from: string | null; body: string; statusCallback: string | null }
  | { verb: 'Redirect'; url: string; method: 'GET' | 'POST' };

/** Parses messaging TwiML (the answer to an SmsUrl) into verbs, or throws TwimlError. */
export function parseMessagingTwiml(xml: string): MessagingVerb[] {
  const root = parseTwimlTree(xml, MESSAGING_RULES);
  return root.children.map((el): MessagingVerb => {
    const a = new Attrs(el);
    if (el.name === 'Redirect') {
      if (!el.text) throw new TwimlError(12200, '<Redirect> needs a URL');
      return { verb: 'Redirect', url: el.text, method: a.method('method') };
    }
    const body = [el.text, ...el.children.filter((c) => c.name === 'Body').map((c) => c.text)].filter(Boolean).join(' ');
    if (!body && !el.children.some((c) => c.name === 'Media')) throw new TwimlError(12200, '<Message> has no body');
    return { verb: 'Message', to: a.str('to') ?? null, from: a.str('from') ?? null, body, statusCallback: a.str('statusCallback') ?? null };
  });
}
