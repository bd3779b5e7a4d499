import type { TelephonyCredentials } from '../telephony-credentials';
import { TelephonyException, TelephonyExceptionCode } from '../telephony.exception';
import type {
  AccountInfo,
  CallInfo,
  CallStatus,
  CallUpdate,
  CallerName,
  NumberWebhooks,
  PlaceCallRequest,
  QueueMember,
  RecordingInfo,
  SendSmsRequest,
  SentSms,
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
