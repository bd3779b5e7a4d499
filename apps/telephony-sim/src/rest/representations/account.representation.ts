import { rfc2822 } from '../../state/sid';
import type { SimAccount } from '../../state/sim-types';

const SUBRESOURCES = {
  available_phone_numbers: 'AvailablePhoneNumbers', calls: 'Calls', conferences: 'Conferences',
  incoming_phone_numbers: 'IncomingPhoneNumbers', notifications: 'Notifications', outgoing_caller_ids: 'OutgoingCallerIds',
  recordings: 'Recordings', transcriptions: 'Transcriptions', addresses: 'Addresses', signing_keys: 'SigningKeys',
  connect_apps: 'ConnectApps', sip: 'SIP', authorized_connect_apps: 'AuthorizedConnectApps', usage: 'Usage', keys: 'Keys',
  applications: 'Applications', short_codes: 'SMS/ShortCodes', queues: 'Queues', messages: 'Messages', balance: 'Balance',
};

/** An account as Twilio's REST API shows it to its owner (the auth token included, as Twilio does). */
export function accountRepresentation(account: SimAccount, created: Date): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${account.sid}`;
  return {
    auth_token: account.authToken,
    date_created: rfc2822(created),
    date_updated: rfc2822(created),
    friendly_name: account.friendlyName,
    owner_account_sid: account.sid,
    sid: account.sid,
    status: 'active',
    subresource_uris: Object.fromEntries(Object.entries(SUBRESOURCES).map(([k, v]) => [k, `${base}/${v}.json`])),
    type: 'Full',
    uri: `${base}.json`,
  };
}
