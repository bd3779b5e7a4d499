import type { TelephonyCredentials } from '../telephony-credentials';
import { TelephonyException, TelephonyExceptionCode } from '../telephony.exception';
import type {
  AccountInfo,
  CallInfo,
  CallStatus,
  CallUpdate,
  CallerName,
  ListedCall,
  ListedSms,
  NumberWebhooks,
  PlaceCallRequest,
  PlacedCallsQuery,
  QueueMember,
  RecordingInfo,
  SendSmsRequest,
  SentSms,
  SentSmsQuery,
  TelephonyPort,
} from '../telephony.port';
import { mapTwilioError } from './map-twilio-error';
import { TwilioClientCache, type TwilioClientOptions } from './twilio-client-cache';

interface SdkCall {
  sid: string;
  status: string;
  direction: string;
  from: string;
  to: string;
  duration: string | null;
  answeredBy: string | null;
  dateCreated?: Date | null;
}

function callInfo(c: SdkCall): CallInfo {
  return {
    callSid: c.sid,
    status: c.status as CallStatus,
    direction: c.direction,
    from: c.from,
    to: c.to,
    durationSeconds: c.duration === null || c.duration === undefined ? null : Number(c.duration),
    answeredBy: c.answeredBy ?? null,
  };
}

/** At most this many calls to one number from one number are read (a contact gets few calls from one caller id). */
const PLACED_CALLS_LIST_LIMIT = 50;

/** At most this many messages sent since the given time are read (a phone gets few texts from one tenant). */
const SENT_SMS_LIST_LIMIT = 200;
/** The newest messages read to find one Twilio holds unsent (queued), which a DateSent filter leaves out. */
const NEWEST_SMS_LIMIT = 20;

/** TelephonyPort on the official `twilio` SDK: the real Twilio, or the simulator when `apiBaseUrl` is set. */
export class TwilioTelephonyAdapter implements TelephonyPort {
  private readonly clients: TwilioClientCache;

  constructor(options: TwilioClientOptions = {}) {
    this.clients = new TwilioClientCache(options);
  }

  /** Reads `TWILIO_API_BASE_URL`: set (development, tests, demo) means the simulator. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): TwilioTelephonyAdapter {
    return new TwilioTelephonyAdapter({ apiBaseUrl: env.TWILIO_API_BASE_URL || undefined });
  }

  verifyCredentials(creds: TelephonyCredentials): Promise<AccountInfo> {
    return this.run(`verifying the credentials of ${creds.accountSid}`, async () => {
      const a = await this.clients.get(creds).api.v2010.accounts(creds.accountSid).fetch();
      return { accountSid: a.sid, friendlyName: a.friendlyName, status: a.status };
    });
  }

  placeCall(creds: TelephonyCredentials, req: PlaceCallRequest): Promise<CallInfo> {
    return this.run(`placing a call to ${req.to}`, async () =>
      callInfo(
        await this.clients.get(creds).calls.create({
          to: req.to,
          from: req.from,
          url: req.url,
          ...(req.statusCallback ? { statusCallback: req.statusCallback, statusCallbackMethod: 'POST' } : {}),
          ...(req.statusCallbackEvents?.length ? { statusCallbackEvent: req.statusCallbackEvents } : {}),
          ...(req.machineDetection ? { machineDetection: req.machineDetection } : {}),
          ...(req.timeoutSeconds ? { timeout: req.timeoutSeconds } : {}),
        }),
      ),
    );
  }

  updateCall(creds: TelephonyCredentials, callSid: string, update: CallUpdate): Promise<CallInfo> {
    const params =
      update.kind === 'redirect' ? { url: update.url, method: 'POST' } : update.kind === 'twiml' ? { twiml: update.twiml } : { status: 'completed' as const };
    return this.run(`updating call ${callSid} (${update.kind})`, async () =>
      callInfo(await this.clients.get(creds).calls(callSid).update(params)),
    );
  }

  fetchCall(creds: TelephonyCredentials, callSid: string): Promise<CallInfo> {
    return this.run(`fetching call ${callSid}`, async () => callInfo(await this.clients.get(creds).calls(callSid).fetch()));
  }

  listPlacedCalls(creds: TelephonyCredentials, query: PlacedCallsQuery): Promise<ListedCall[]> {
    return this.run(`listing the calls placed to ${query.to}`, async () => {
      // Not StartTime>: a call Twilio still holds (queued, ringing) has no start time and would be left out. Newest first.
      const calls = await this.clients.get(creds).calls.list({ to: query.to, from: query.from, limit: PLACED_CALLS_LIST_LIMIT });
      const since = query.since.getTime();
      return calls
        .filter((c) => c.direction.startsWith('outbound') && (c.dateCreated ? c.dateCreated.getTime() >= since : true))
        .map((c) => ({ ...callInfo(c), dateCreated: c.dateCreated ?? null }))
        .sort((a, b) => (b.dateCreated?.getTime() ?? 0) - (a.dateCreated?.getTime() ?? 0));
    });
  }

  sendSms(creds: TelephonyCredentials, req: SendSmsRequest): Promise<SentSms> {
    return this.run(`sending an SMS to ${req.to}`, async () => {
      const m = await this.clients.get(creds).messages.create({
        to: req.to,
        from: req.from,
        body: req.body,
        ...(req.statusCallback ? { statusCallback: req.statusCallback } : {}),
      });
      return { messageSid: m.sid, status: m.status };
    });
  }

  listSentSms(creds: TelephonyCredentials, query: SentSmsQuery): Promise<ListedSms[]> {
    return this.run(`listing the messages sent to ${query.to}`, async () => {
      const client = this.clients.get(creds);
      const filter = { to: query.to, ...(query.from ? { from: query.from } : {}) };
      // DateSent> leaves out what Twilio has not sent yet (no date_sent): the newest page catches those.
      const [sent, newest] = await Promise.all([
        client.messages.list({ ...filter, dateSentAfter: query.since, limit: SENT_SMS_LIST_LIMIT }),
        client.messages.list({ ...filter, limit: NEWEST_SMS_LIMIT }),
      ]);
      const since = query.since.getTime();
      const bySid = new Map<string, ListedSms>();
      for (const m of [...sent, ...newest]) {
        if (!m.direction.startsWith('outbound')) continue;
        const at = (m.dateSent ?? m.dateCreated)?.getTime();
        if (at !== undefined && at < since - 1000) continue;
        bySid.set(m.sid, {
          messageSid: m.sid,
          status: m.status,
          direction: m.direction,
          from: m.from,
          to: m.to,
          body: m.body,
          dateCreated: m.dateCreated ?? null,
          dateSent: m.dateSent ?? null,
        });
      }
      return [...bySid.values()].sort((a, b) => (b.dateCreated?.getTime() ?? 0) - (a.dateCreated?.getTime() ?? 0));
    });
  }

  lookupCallerName(creds: TelephonyCredentials, number: string): Promise<CallerName> {
    return this.run(`looking up the caller name of ${number}`, async () => {
      const r = await this.clients.get(creds).lookups.v2.phoneNumbers(number).fetch({ fields: 'caller_name' });
      return { number: r.phoneNumber, valid: r.valid, callerName: r.callerName?.callerName ?? null };
    });
  }

  fetchRecording(creds: TelephonyCredentials, recordingSid: string): Promise<RecordingInfo> {
    return this.run(`fetching recording ${recordingSid}`, async () => {
      const r = await this.clients.get(creds).recordings(recordingSid).fetch();
      return { recordingSid: r.sid, callSid: r.callSid, durationSeconds: Number(r.duration ?? 0), status: r.status, mediaUrl: r.mediaUrl ?? null };
    });
  }

  listQueueMembers(creds: TelephonyCredentials, queueName: string): Promise<QueueMember[]> {
    return this.run(`listing queue "${queueName}"`, async () => {
      const queueSid = await this.queueSid(creds, queueName);
      if (!queueSid) return [];
      const members = await this.clients.get(creds).queues(queueSid).members.list();
      return members.map((m) => ({ callSid: m.callSid, position: m.position, waitSeconds: m.waitTime }));
    });
  }

  dequeueMember(creds: TelephonyCredentials, queueName: string, callSid: string, url: string): Promise<void> {
    return this.run(`dequeuing ${callSid} from "${queueName}"`, async () => {
      const queueSid = await this.queueSid(creds, queueName);
      if (!queueSid) throw new TelephonyException(TelephonyExceptionCode.NotFound, `no queue named "${queueName}"`);
      await this.clients.get(creds).queues(queueSid).members(callSid).update({ url, method: 'POST' });
    });
  }

  configureNumber(creds: TelephonyCredentials, phoneNumber: string, webhooks: NumberWebhooks): Promise<void> {
    return this.run(`configuring number ${phoneNumber}`, async () => {
      const client = this.clients.get(creds);
      const [number] = await client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 });
      if (!number) throw new TelephonyException(TelephonyExceptionCode.NotFound, `number ${phoneNumber} is not in account ${creds.accountSid}`);
      await client.incomingPhoneNumbers(number.sid).update({
        ...(webhooks.voiceUrl ? { voiceUrl: webhooks.voiceUrl, voiceMethod: 'POST' } : {}),
        ...(webhooks.smsUrl ? { smsUrl: webhooks.smsUrl, smsMethod: 'POST' } : {}),
        ...(webhooks.statusCallback ? { statusCallback: webhooks.statusCallback } : {}),
      });
    });
  }

  private async queueSid(creds: TelephonyCredentials, name: string): Promise<string | null> {
    const queues = await this.clients.get(creds).queues.list();
    return queues.find((q) => q.friendlyName === name)?.sid ?? null;
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapTwilioError(err, what);
    }
  }
}
