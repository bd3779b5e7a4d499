import type { TranscriptEvent } from '../voice/transcript';
import type { PartyScript } from '../voice/party-script';

export interface SimAccount {
  sid: string;
  authToken: string;
  friendlyName: string;
  /** Calls the REST API may create per second before answering 429 / 20429. */
  cps: number;
  /** Messages the REST API may create per second before answering 429 / 20429. */
  mps: number;
}

export type HttpMethod = 'GET' | 'POST';

export interface SimNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string | null;
  voiceMethod: HttpMethod;
  smsUrl: string | null;
  smsMethod: HttpMethod;
  statusCallback: string | null;
  statusCallbackMethod: HttpMethod;
  dateCreated: Date;
  dateUpdated: Date;
}

export type CallStatus =
  | 'queued'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'failed'
  | 'no-answer'
  | 'canceled';

export const FINAL_CALL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];

export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

export interface SimCall {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  direction: CallDirection;
  status: CallStatus;
  parentCallSid: string | null;
  phoneNumberSid: string | null;
  answeredBy: string | null;
  callerName: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  startTime: Date | null;
  endTime: Date | null;
  /** Seconds of simulated talk time; the call's clock, advanced by what it plays and waits. */
  elapsedSeconds: number;
  transcript: TranscriptEvent[];
  /** Why the simulated call failed loudly (bad TwiML, webhook error), if it did. */
  failure: string | null;
  script: PartyScript;
}

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';
export type MessageDirection = 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';

export interface SimMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  status: MessageStatus;
  direction: MessageDirection;
  statusCallback: string | null;
  /** Twilio's error for an undelivered or failed message (e.g. 30003 unreachable handset). */
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

export interface SimQueueMember {
  callSid: string;
  enqueuedAt: Date;
}

export interface SimQueue {
  sid: string;
  accountSid: string;
  friendlyName: string;
  maxSize: number;
  members: SimQueueMember[];
  dateCreated: Date;
  dateUpdated: Date;
}

export interface SimRecording {
  sid: string;
  accountSid: string;
  callSid: string;
  durationSeconds: number;
  source: 'RecordVerb' | 'DialVerb' | 'OutboundAPI';
  dateCreated: Date;
  startTime: Date;
}
