import { callWebhook, type WebhookRequest, type WebhookResponse } from '../http/signed-webhook';
import { CallFailure } from './call-signals';
import { TwimlError } from './twiml/twiml-error';
import { parseVoiceTwiml, type VoiceVerb } from './twiml/voice-verbs';

/** Requests a TwiML document; an unreachable app is Twilio's 11200. */
export async function requestTwiml(req: WebhookRequest): Promise<WebhookResponse> {
  try {
    return await callWebhook(req);
  } catch (err) {
    throw new CallFailure(11200, `HTTP retrieval failure: ${req.method} ${req.url}: ${(err as Error).message}`);
  }
}

/** The verbs of an app's answer, or the failure Twilio would report (11200, 12300, 12100, 12200). */
export function verbsOfAnswer(req: Pick<WebhookRequest, 'url' | 'method'>, res: WebhookResponse): VoiceVerb[] {
  if (res.status >= 400) {
    throw new CallFailure(11200, `HTTP retrieval failure: ${req.method} ${req.url} answered ${res.status}: ${res.body.slice(0, 200)}`);
  }
  if (!/xml/i.test(res.contentType)) {
    throw new CallFailure(12300, `invalid Content-Type "${res.contentType}" from ${req.url}: TwiML must be text/xml or application/xml`);
  }
  return parseOrFail(res.body, req.url);
}

/** Parses voice TwiML, turning what Twilio would reject into a CallFailure naming the source. */
export function parseOrFail(xml: string, source: string): VoiceVerb[] {
  try {
    return parseVoiceTwiml(xml);
  } catch (err) {
    if (err instanceof TwimlError) throw new CallFailure(err.code, `${source}: ${err.message}`);
    throw err;
  }
}

/** A verb's URL made absolute against the document's; no URL means the document's own (Twilio's default). */
export function resolveUrl(url: string | null, documentUrl: string | null): string {
  if (url === null || url === '') {
    if (!documentUrl) throw new CallFailure(11100, 'a verb without an action URL in TwiML given inline: there is no document URL to post to');
    return documentUrl;
  }
  try {
    return new URL(url, documentUrl ?? undefined).toString();
  } catch {
    throw new CallFailure(11100, `invalid URL "${url}"`);
  }
}
