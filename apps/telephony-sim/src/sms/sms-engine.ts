import type { Logger } from 'pino';
import { callWebhook, notifyWebhook } from '../http/signed-webhook';
import { newSid } from '../state/sid';
import type { SimStore } from '../state/sim-store';
import type { MessageDirection, MessageStatus, SimAccount, SimMessage } from '../state/sim-types';
import { segmentCount } from '../rest/representations/message.representation';
import { parseMessagingTwiml } from '../voice/twiml/messaging-verbs';

export interface OutboundSms {
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
}

export interface InboundSmsResult {
  message: SimMessage;
  replies: SimMessage[];
  /** Why the SmsUrl's answer could not be followed, when it could not. */
  failure: string | null;
}

/** The statuses a message goes through, by what the receiving phone's script says happens to it. */
const DELIVERY: Record<'delivered' | 'undelivered' | 'failed', MessageStatus[]> = {
  delivered: ['queued', 'sent', 'delivered'],
  undelivered: ['queued', 'sent', 'undelivered'],
  failed: ['queued', 'failed'],
};

/** Twilio's default opt-out and opt-in keywords, and its automatic answers to them. */
const OPT_OUT = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
const OPT_IN = ['START', 'YES', 'UNSTOP'];
const OPT_OUT_REPLY = 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.';
const OPT_IN_REPLY = 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.';

/** Replies bouncing between two simulated numbers stop after this many hops. */
const MAX_HOPS = 3;

/** Messages: sends the REST API's and TwiML's, delivers them, and posts inbound SMS to a number's SmsUrl. */
export class SmsEngine {
  constructor(
    private readonly store: SimStore,
    private readonly log: Logger,
  ) {}

  /** A message the REST API accepted: it is `queued` now, then `sent` and `delivered`, with callbacks. */
  createFromApi(account: SimAccount, sms: OutboundSms): SimMessage {
    const message = this.create(account.sid, sms, 'outbound-api', 'queued');
    setImmediate(() => void this.deliver(account, message, 0));
    return message;
  }

  /** A message sent by `<Sms>` during a call; resolved once it is delivered. */
  async sendFromCall(account: SimAccount, sms: OutboundSms): Promise<SimMessage> {
    const message = this.create(account.sid, sms, 'outbound-call', 'queued');
    await this.deliver(account, message, 0);
    return message;
  }

  /** A phone texts a number: the number's SmsUrl is posted and its messaging TwiML followed. */
  async receive(input: { from: string; to: string; body: string }, hops = 0): Promise<InboundSmsResult> {
    const number = this.store.numberByPhone(input.to);
    if (!number) throw new Error(`no simulated number ${input.to}: create it first (POST /sim/numbers)`);
    const account = this.store.accounts.get(number.accountSid);
    if (!account) throw new Error(`number ${input.to} belongs to unknown account ${number.accountSid}`);
    const message = this.create(account.sid, { ...input, statusCallback: null }, 'inbound', 'received');
    const result: InboundSmsResult = { message, replies: [], failure: null };
    const keyword = input.body.trim().toUpperCase();
    const pair = `${input.from} ${input.to}`;
    if (OPT_OUT.includes(keyword) || (OPT_IN.includes(keyword) && this.store.optOuts.has(pair))) {
      const optingOut = OPT_OUT.includes(keyword);
      if (optingOut) this.store.optOuts.add(pair);
      else this.store.optOuts.delete(pair);
      const auto = this.create(account.sid, { to: input.from, from: input.to, body: optingOut ? OPT_OUT_REPLY : OPT_IN_REPLY, statusCallback: null }, 'outbound-reply', 'queued');
      await this.deliver(account, auto, MAX_HOPS);
      result.replies.push(auto);
    }
    if (!number.smsUrl) {
      result.failure = `number ${input.to} has no SmsUrl`;
      return result;
    }
    try {
      const res = await callWebhook({
        url: number.smsUrl,
        method: number.smsMethod,
        authToken: account.authToken,
        params: {
          MessageSid: message.sid,
          SmsSid: message.sid,
          SmsMessageSid: message.sid,
          AccountSid: account.sid,
          From: input.from,
          To: input.to,
          Body: input.body,
          NumMedia: '0',
          NumSegments: String(segmentCount(input.body)),
          SmsStatus: 'received',
          ApiVersion: '2010-04-01',
        },
      });
      if (res.status >= 400) throw new Error(`${number.smsUrl} answered ${res.status}: ${res.body.slice(0, 200)}`);
      if (!res.body.trim()) return result;
      if (!/xml/i.test(res.contentType)) throw new Error(`invalid Content-Type "${res.contentType}" from ${number.smsUrl}`);
      for (const verb of parseMessagingTwiml(res.body)) {
        if (verb.verb === 'Redirect') throw new Error('<Redirect> in messaging TwiML is not simulated');
        if (this.store.optOuts.has(`${verb.to ?? input.from} ${verb.from ?? input.to}`)) continue;
        const reply = this.create(
          account.sid,
          { to: verb.to ?? input.from, from: verb.from ?? input.to, body: verb.body, statusCallback: verb.statusCallback },
          'outbound-reply',
          'queued',
        );
        await this.deliver(account, reply, hops + 1);
        result.replies.push(reply);
      }
    } catch (err) {
      result.failure = (err as Error).message;
      this.log.error({ messageSid: message.sid, reason: result.failure }, 'inbound SMS webhook failed');
    }
    return result;
  }

  private create(accountSid: string, sms: OutboundSms, direction: MessageDirection, status: MessageStatus): SimMessage {
    const now = new Date();
    const message: SimMessage = {
      sid: newSid('SM'),
      accountSid,
      from: sms.from,
      to: sms.to,
      body: sms.body,
      status,
      direction,
      statusCallback: sms.statusCallback,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      errorCode: null,
    };
    this.store.messages.set(message.sid, message);
    this.store.events.emit('message-created', message);
    return message;
  }

  private async deliver(account: SimAccount, message: SimMessage, hops: number): Promise<void> {
    const fate = this.store.phones.get(message.to)?.sms ?? 'delivered';
    for (const status of DELIVERY[fate]) {
      message.status = status;
      message.dateUpdated = new Date();
      if (status === 'sent') message.dateSent = message.dateUpdated;
      if (status === 'undelivered' || status === 'failed') message.errorCode = status === 'undelivered' ? 30003 : 30006;
      if (message.statusCallback) {
        await notifyWebhook(
          {
            url: message.statusCallback,
            method: 'POST',
            authToken: account.authToken,
            params: {
              MessageSid: message.sid,
              SmsSid: message.sid,
              AccountSid: account.sid,
              From: message.from,
              To: message.to,
              MessageStatus: status,
              SmsStatus: status,
              ApiVersion: '2010-04-01',
              ...(message.errorCode ? { ErrorCode: String(message.errorCode) } : {}),
            },
          },
          (m) => this.log.warn({ messageSid: message.sid }, m),
        );
      }
    }
    if (fate !== 'delivered') return;
    if (hops < MAX_HOPS && this.store.numberByPhone(message.to)?.smsUrl) {
      await this.receive({ from: message.from, to: message.to, body: message.body }, hops).catch((err: Error) =>
        this.log.error({ messageSid: message.sid, reason: err.message }, 'delivery to a simulated number failed'),
      );
    }
  }
}
