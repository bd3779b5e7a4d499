import { EventEmitter } from 'node:events';
import { newSid } from './sid';
import type { SimAccount, SimCall, SimMessage, SimNumber, SimQueue, SimRecording } from './sim-types';
import type { PartyScript } from '../voice/party-script';

export interface StoreEvents {
  'call-ended': [SimCall];
  'call-created': [SimCall];
  'message-created': [SimMessage];
}

/**
 * Everything the simulator knows, in memory. It is a stand-in for Twilio in one process,
 * not a database: a restart forgets it all, as a test wants.
 */
export class SimStore {
  readonly accounts = new Map<string, SimAccount>();
  readonly numbers = new Map<string, SimNumber>();
  readonly calls = new Map<string, SimCall>();
  readonly messages = new Map<string, SimMessage>();
  readonly queues = new Map<string, SimQueue>();
  readonly recordings = new Map<string, SimRecording>();
  /** How the phone at a number behaves when it is called (answer, keys, talk time). */
  readonly phones = new Map<string, PartyScript>();
  /** Phones that texted STOP to a number, as "phone number": Twilio refuses to message them (21610). */
  readonly optOuts = new Set<string>();
  /** CNAM answers for Lookups, by E.164 number. */
  readonly callerNames = new Map<string, string>();
  readonly events = new EventEmitter<StoreEvents>();
  private readonly accountDates = new Map<string, Date>();

  /** How many calls and messages are kept; the oldest finished ones go first past it. */
  constructor(private readonly retain = 20_000) {
    this.events.setMaxListeners(0);
    this.events.on('call-created', () => this.prune(this.calls, (c) => c.endTime !== null));
    this.events.on('message-created', () => this.prune(this.messages, () => true));
  }

  private prune<T>(map: Map<string, T>, finished: (item: T) => boolean): void {
    if (map.size <= this.retain) return;
    for (const [sid, item] of map) {
      if (map.size <= this.retain * 0.9) break;
      if (finished(item)) map.delete(sid);
    }
  }

  createAccount(input: Partial<Pick<SimAccount, 'sid' | 'authToken' | 'friendlyName' | 'cps' | 'mps'>>): SimAccount {
    const sid = input.sid ?? newSid('AC');
    if (!/^AC[0-9a-fA-F]{32}$/.test(sid)) {
      throw new Error(`account sid "${sid}" must be "AC" and 32 hex digits`);
    }
    const account: SimAccount = {
      sid,
      authToken: input.authToken ?? newSid('AC').slice(2),
      friendlyName: input.friendlyName ?? sid,
      cps: input.cps ?? 1,
      mps: input.mps ?? 10,
    };
    this.accounts.set(sid, account);
    this.accountDates.set(sid, new Date());
    return account;
  }

  accountCreated(sid: string): Date {
    return this.accountDates.get(sid) ?? new Date(0);
  }

  numberByPhone(phoneNumber: string): SimNumber | undefined {
    for (const n of this.numbers.values()) if (n.phoneNumber === phoneNumber) return n;
    return undefined;
  }

  queueByName(accountSid: string, friendlyName: string): SimQueue | undefined {
    for (const q of this.queues.values()) {
      if (q.accountSid === accountSid && q.friendlyName === friendlyName) return q;
    }
    return undefined;
  }

  createQueue(accountSid: string, friendlyName: string, maxSize = 1000): SimQueue {
    const now = new Date();
    const queue: SimQueue = {
      sid: newSid('QU'),
      accountSid,
      friendlyName,
      maxSize,
      members: [],
      dateCreated: now,
      dateUpdated: now,
    };
    this.queues.set(queue.sid, queue);
    return queue;
  }

  queueOfCall(callSid: string): SimQueue | undefined {
    for (const q of this.queues.values()) if (q.members.some((m) => m.callSid === callSid)) return q;
    return undefined;
  }

  reset(): void {
    for (const map of [this.accounts, this.numbers, this.calls, this.messages, this.queues, this.recordings]) {
      map.clear();
    }
    this.phones.clear();
    this.optOuts.clear();
    this.callerNames.clear();
  }
}
