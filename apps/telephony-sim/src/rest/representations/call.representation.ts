import { rfc2822 } from '../../state/sid';
import type { SimCall } from '../../state/sim-types';
import { formatNumber } from './format-number';

const date = (d: Date | null): string | null => (d ? rfc2822(d) : null);

/** A call as Twilio's REST API shows it (every field, null where Twilio has none). */
export function callRepresentation(call: SimCall): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${call.accountSid}/Calls/${call.sid}`;
  const ended = call.endTime !== null;
  return {
    sid: call.sid,
    date_created: date(call.dateCreated),
    date_updated: date(call.dateUpdated),
    parent_call_sid: call.parentCallSid,
    account_sid: call.accountSid,
    to: call.to,
    to_formatted: formatNumber(call.to),
    from: call.from,
    from_formatted: formatNumber(call.from),
    phone_number_sid: call.phoneNumberSid,
    status: call.status,
    start_time: date(call.startTime),
    end_time: date(call.endTime),
    duration: ended ? String(call.startTime ? Math.round(call.elapsedSeconds) : 0) : null,
    price: ended ? '-0.01300' : null,
    price_unit: 'USD',
    direction: call.direction,
    answered_by: call.answeredBy,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: call.callerName,
    queue_time: '0',
    trunk_sid: null,
    uri: `${base}.json`,
    subresource_uris: {
      user_defined_message_subscriptions: `${base}/UserDefinedMessageSubscriptions.json`,
      notifications: `${base}/Notifications.json`,
      recordings: `${base}/Recordings.json`,
      streams: `${base}/Streams.json`,
      payments: `${base}/Payments.json`,
      user_defined_messages: `${base}/UserDefinedMessages.json`,
      siprec: `${base}/Siprec.json`,
      events: `${base}/Events.json`,
    },
  };
}
