import { rfc2822 } from '../../state/sid';
import type { SimQueue, SimQueueMember } from '../../state/sim-types';

const secondsSince = (d: Date, now: Date): number => Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));

/** A queue as Twilio's REST API shows it. */
export function queueRepresentation(queue: SimQueue, now = new Date()): Record<string, unknown> {
  const waits = queue.members.map((m) => secondsSince(m.enqueuedAt, now));
  return {
    date_updated: rfc2822(queue.dateUpdated),
    current_size: queue.members.length,
    friendly_name: queue.friendlyName,
    uri: `/2010-04-01/Accounts/${queue.accountSid}/Queues/${queue.sid}.json`,
    account_sid: queue.accountSid,
    average_wait_time: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : 0,
    sid: queue.sid,
    date_created: rfc2822(queue.dateCreated),
    max_size: queue.maxSize,
  };
}

/** A queue member (a waiting call) as Twilio's REST API shows it; position counts from 1. */
export function memberRepresentation(queue: SimQueue, member: SimQueueMember, now = new Date()): Record<string, unknown> {
  return {
    call_sid: member.callSid,
    date_enqueued: rfc2822(member.enqueuedAt),
    position: queue.members.indexOf(member) + 1,
    uri: `/2010-04-01/Accounts/${queue.accountSid}/Queues/${queue.sid}/Members/${member.callSid}.json`,
    wait_time: secondsSince(member.enqueuedAt, now),
    queue_sid: queue.sid,
  };
}
