import { rfc2822 } from '../../state/sid';
import type { SimMessage } from '../../state/sim-types';

/** Twilio counts a GSM-7 segment as 160 characters, or 153 once a message needs several. */
export function segmentCount(body: string): number {
  return body.length <= 160 ? 1 : Math.ceil(body.length / 153);
}

export const MESSAGE_ERRORS: Record<number, string> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
};

/** A message as Twilio's REST API shows it. */
export function messageRepresentation(message: SimMessage): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    body: message.body,
    num_segments: String(segmentCount(message.body)),
    direction: message.direction,
    from: message.from,
    to: message.to,
    date_updated: rfc2822(message.dateUpdated),
    price: null,
    error_message: message.errorCode ? (MESSAGE_ERRORS[message.errorCode] ?? 'Message delivery failed') : null,
    uri: `${base}.json`,
    account_sid: message.accountSid,
    num_media: '0',
    status: message.status,
    messaging_service_sid: null,
    sid: message.sid,
    date_sent: message.dateSent ? rfc2822(message.dateSent) : null,
    date_created: rfc2822(message.dateCreated),
    error_code: message.errorCode,
    price_unit: 'USD',
    api_version: '2010-04-01',
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
  };
}
