import type { TelephonyCredentials } from './telephony-credentials';

export type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';
export type CallEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface PlaceCallRequest {
  to: string;
  from: string;
  /** The answer URL: fetched when the callee picks up. */
  url: string;
  statusCallback?: string;
  /** Events posted to statusCallback (Twilio sends only `completed` by default). */
  statusCallbackEvents?: CallEvent[];
  /** Answering-machine detection; the answer URL then gets `AnsweredBy`. */
  machineDetection?: 'Enable' | 'DetectMessageEnd';
  /** Seconds to ring before giving up. */
  timeoutSeconds?: number;
}

export type CallUpdate =
  | { kind: 'redirect'; url: string }
  | { kind: 'twiml'; twiml: string }
  | { kind: 'end' };

export interface CallInfo {
  callSid: string;
  status: CallStatus;
  direction: string;
  from: string;
  to: string;
  /** Seconds, once the call has ended. */
  durationSeconds: number | null;
  answeredBy: string | null;
}

/** Which calls to list: those to `to` from `from` that Twilio created since `since`. */
export interface PlacedCallsQuery {
  to: string;
  from: string;
  since: Date;
}

/** A call as Twilio lists it, with when it was created. */
export interface ListedCall extends CallInfo {
  dateCreated: Date | null;
}

export interface SendSmsRequest {
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
}

export interface SentSms {
  messageSid: string;
  status: string;
}

/** Which outbound messages to list: those to `to` (from `from`, when given) that Twilio created or sent since `since`. */
export interface SentSmsQuery {
  to: string;
  from?: string;
  since: Date;
}

/** An outbound message as Twilio lists it. `body` may hold a serial or a name: memory only, never logs. */
export interface ListedSms {
  messageSid: string;
  status: string;
  direction: string;
  from: string;
  to: string;
  body: string;
  dateCreated: Date | null;
  /** Null while Twilio still holds it (queued, accepted, scheduled). */
  dateSent: Date | null;
}

export interface CallerName {
  number: string;
  valid: boolean;
  /** The CNAM name, or null when none is known. */
  callerName: string | null;
}

export interface RecordingInfo {
  recordingSid: string;
  callSid: string;
  durationSeconds: number;
  status: string;
  /** Where the audio is (Twilio's media URL, or the simulator's). */
  mediaUrl: string | null;
}

export interface QueueMember {
  callSid: string;
  position: number;
  waitSeconds: number;
}

export interface AccountInfo {
  accountSid: string;
  friendlyName: string;
  status: string;
}

export interface NumberWebhooks {
  voiceUrl?: string;
  smsUrl?: string;
  statusCallback?: string;
}

/**
 * What the apps need from a telephony provider. Every method takes the tenant's credentials
 * and throws a coded `TelephonyException` on failure.
 */
export interface TelephonyPort {
  /** Checks the credentials by fetching the account (e.g. when a tenant saves them). */
  verifyCredentials(creds: TelephonyCredentials): Promise<AccountInfo>;
  /** Places an outbound call; Twilio fetches `url` when it is answered. */
  placeCall(creds: TelephonyCredentials, req: PlaceCallRequest): Promise<CallInfo>;
  /** Redirects a live call to a URL, replaces its TwiML, or ends it. */
  updateCall(creds: TelephonyCredentials, callSid: string, update: CallUpdate): Promise<CallInfo>;
  fetchCall(creds: TelephonyCredentials, callSid: string): Promise<CallInfo>;
  /**
   * Outbound calls to a number from a number created since a time (Calls list by To and From, newest first, then
   * by creation time here: `StartTime>` would leave out a call still queued, which has no start time yet).
   */
  listPlacedCalls(creds: TelephonyCredentials, query: PlacedCallsQuery): Promise<ListedCall[]>;
  sendSms(creds: TelephonyCredentials, req: SendSmsRequest): Promise<SentSms>;
  /**
   * Outbound messages to a number since a time (Messages list by To, From and `DateSent>`, plus the newest ones
   * still waiting to be sent, which have no send date yet), newest first. Twilio's list may lag a message it
   * has just accepted by a few seconds.
   */
  listSentSms(creds: TelephonyCredentials, query: SentSmsQuery): Promise<ListedSms[]>;
  /** Caller name (CNAM) for a number through Lookups v2. */
  lookupCallerName(creds: TelephonyCredentials, number: string): Promise<CallerName>;
  fetchRecording(creds: TelephonyCredentials, recordingSid: string): Promise<RecordingInfo>;
  /** The calls waiting in a Twilio queue (by friendly name), front first; empty if no such queue. */
  listQueueMembers(creds: TelephonyCredentials, queueName: string): Promise<QueueMember[]>;
  /** Takes a waiting call out of a Twilio queue and runs the TwiML at `url` on it. */
  dequeueMember(creds: TelephonyCredentials, queueName: string, callSid: string, url: string): Promise<void>;
  /** Points one of the account's numbers at the given webhooks. */
  configureNumber(creds: TelephonyCredentials, phoneNumber: string, webhooks: NumberWebhooks): Promise<void>;
}
