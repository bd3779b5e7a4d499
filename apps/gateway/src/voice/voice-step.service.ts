import { Inject, Injectable, Logger } from '@nestjs/common';
import { type FallbackConfig, type Flow, type FlowState, initialState, renderTwiml, step, type Instruction, type NodeOf, type SystemValues } from '@ringflow/flow';
import { FlowStore } from '@ringflow/flow-store';
import { CallRecordsRepository, CallSessionStore, type CallSession, type HoldSettings, type StepLock, type StoredSession } from '@ringflow/session';
import type { TenantId } from '@ringflow/tenancy';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import type { CampaignFlowRef } from './campaign-answer-flow';
import { FlowPortsProvider } from '../ports/flow-ports.provider';
import { fallbackTwiml, hangupTwiml } from './fallback-twiml';
import { RequestFingerprint } from './request-fingerprint';
import { VoiceMetrics } from './voice-metrics';
import { voiceUrls } from './voice-urls';
import { WaitNodeHold } from './wait-node-hold';

/** One verified voice webhook of a call. */
export interface VoiceStepRequest {
  tenantId: TenantId;
  callSid: string;
  /** The step sequence the callback URL carries; 0 for the first webhook. */
  seq: number;
  /** Path and query as received (part of the duplicate fingerprint). */
  path: string;
  params: Record<string, string>;
  timeZone: string;
  /** The tenant's fallback: said when the call cannot go on. */
  fallback: FallbackConfig;
  /** Only on the first webhook: who calls whom and the number whose flow answers (a flow campaign's call: its own flow). */
  start?: { system: SystemValues; number: string; campaignFlow?: CampaignFlowRef };
}

const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 12_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function holdOf(instructions: Instruction[]): HoldSettings | null {
  const enqueue = instructions.find((i): i is Extract<Instruction, { kind: 'enqueue' }> => i.kind === 'enqueue');
  if (!enqueue) return null;
  return { nodeId: enqueue.resume.nodeId, holdMusicUrl: enqueue.holdMusicUrl, holdMessage: enqueue.holdMessage, timeoutSeconds: enqueue.timeoutSeconds };
}

/**
 * Twilio posts a Dial's, Record's or Enqueue's action after the caller hangs up, possibly after the final status
 * callback: those steps still run on an ended call. A Gather's action never follows a hangup: such a step is late or replayed.
 */
const afterHangupNodeTypes = new Set(['dial', 'voicemail', 'queue']);
function postsAfterHangup(flow: Flow, state: FlowState): boolean {
  const nodeId = state.awaiting?.nodeId;
  return nodeId !== undefined && afterHangupNodeTypes.has(flow.nodes[nodeId]?.type ?? '');
}

/** Outside writes that arrived while a step ran stay pending; the ones the step consumed are cleared. */
function stillPending(fresh: Record<string, unknown>, consumed: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fresh).filter(([name, value]) => !(name in consumed) || JSON.stringify(consumed[name]) !== JSON.stringify(value)));
}

/**
 * Runs one step of a call: one step at a time per call (a Redis lock, so any replica can serve any
 * step), a repeated webhook answered with the TwiML it got before and nothing run twice, the flow
 * version pinned at the first step, the session saved with optimistic concurrency against outside writes.
 */
@Injectable()
export class VoiceStepService {
  private readonly logger = new Logger(VoiceStepService.name);

  constructor(
    private readonly sessions: CallSessionStore,
    private readonly records: CallRecordsRepository,
    private readonly flows: FlowStore,
    private readonly portsProvider: FlowPortsProvider,
    private readonly fingerprint: RequestFingerprint,
    private readonly waitHold: WaitNodeHold,
    private readonly metrics: VoiceMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The TwiML answer; throws on infrastructure faults (the caller answers those with the fallback). */
  async answer(req: VoiceStepRequest): Promise<string> {
    let lock = await this.lock(req.tenantId, req.callSid);
    // A `wait` node not yet satisfied: the step waits for the outside write (or the poll interval) without the lock.
    const wait = req.seq > 0 && lock.stored ? await this.heldBy(lock, req.seq) : undefined;
    if (wait) {
      await this.waitHold.hold(req.tenantId, req.callSid, req.seq, wait);
      lock = await this.lock(req.tenantId, req.callSid);
    }
    try {
      const loaded = lock.stored;
      // A replayed first webhook of a call that has ended (its session expired): the call record says so; nothing runs.
      if (!loaded && req.start && (await this.records.find(req.tenantId, req.callSid))) return this.ended(req, 'first webhook');
      const stored = loaded ?? (req.start ? await this.startSession(req, req.start) : undefined);
      if (!stored) {
        if (!req.start) {
          this.metrics.count('no-session');
          this.logger.warn(`tenant ${req.tenantId} call ${req.callSid}: no session to resume (expired or never started); fallback`);
        }
        return fallbackTwiml(req.fallback);
      }
      const session = stored.session;
      const fingerprint = this.fingerprint.of(req.path, req.params);
      if (session.lastAnswer && req.seq === session.seq - 1 && fingerprint === session.lastAnswer.fingerprint) {
        this.metrics.count('replayed');
        this.logger.log(`tenant ${req.tenantId} call ${req.callSid}: repeated webhook for step ${req.seq}; previous answer replayed`);
        return (await lock.lastAnswerTwiml()) ?? fallbackTwiml(req.fallback);
      }
      if (req.seq !== session.seq) {
        this.metrics.count('stale');
        this.logger.warn(`tenant ${req.tenantId} call ${req.callSid}: callback for step ${req.seq} while the call is at step ${session.seq}; last answer replayed`);
        return (session.lastAnswer ? await lock.lastAnswerTwiml() : undefined) ?? fallbackTwiml(req.fallback);
      }
      return await this.runStep(req, stored, fingerprint, lock);
    } finally {
      await lock.release();
    }
  }

  /** The unsatisfied `wait` node the locked session waits on; the lock is released when there is one. */
  private async heldBy(lock: StepLock, seq: number): Promise<NodeOf<'wait'> | undefined> {
    let wait: NodeOf<'wait'> | undefined;
    try {
      wait = await this.waitHold.pendingWait(lock.stored!.session, seq);
    } catch (error) {
      await lock.release();
      throw error;
    }
    if (wait) await lock.release();
    return wait;
  }

  /** A webhook for a call whose final status has arrived: a late or replayed request; hang up and run nothing. */
  private ended(req: VoiceStepRequest, what: string): string {
    this.metrics.count('ended');
    this.logger.warn(`tenant ${req.tenantId} call ${req.callSid}: ${what} after the call ended; hangup answered, nothing run`);
    return hangupTwiml();
  }

  private async runStep(req: VoiceStepRequest, stored: StoredSession, fingerprint: string, lock: StepLock): Promise<string> {
    const session = stored.session;
    if (session.flowId === null || session.flowVersion === null) return fallbackTwiml(req.fallback);
    const { flow } = await this.flows.getVersion(req.tenantId, session.flowId, session.flowVersion);
    if (session.endedAt !== null && !postsAfterHangup(flow, session.state)) return this.ended(req, `step ${req.seq}`);
    const consumed = session.pendingVars;
    const result = await step(
      flow, session.state,
      { system: session.system, params: req.params, ...(Object.keys(consumed).length > 0 ? { vars: consumed } : {}) },
      this.portsProvider.ports,
      { now: () => new Date(), random: Math.random, timeZone: req.timeZone, fallback: req.fallback },
    );
    this.metrics.count(result.fault ? 'flow-fault' : 'step');
    if (result.fault) {
      this.logger.warn(`tenant ${req.tenantId} call ${req.callSid}: flow ${session.flowId} v${session.flowVersion} fault at node ${result.fault.nodeId ?? '-'}: ${result.fault.reason}; fallback answered`);
    }
    const seq = session.seq + 1;
    const instructions = this.waitHold.shortenPause(flow, result.state, result.instructions);
    const twiml = renderTwiml(instructions, voiceUrls(this.config.PUBLIC_BASE_URL, req.tenantId, req.callSid, seq));
    const next: CallSession = {
      ...session, state: result.state, pendingVars: {}, seq, lastAnswer: { fingerprint },
      hold: holdOf(instructions) ?? session.hold, updatedAt: new Date().toISOString(),
    };
    await this.save(lock, stored.version, next, consumed, twiml);
    return twiml;
  }

  /** Saves the step's session and, once saved, releases the step lock in the same round trip. */
  private async save(lock: StepLock, expected: number, next: CallSession, consumed: Record<string, unknown>, twiml: string): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const result = await lock.replaceAndRelease(expected, next, twiml);
      if (typeof result === 'number') return;
      const fresh = result === 'conflict' ? await this.sessions.load(next.tenantId, next.callSid) : undefined;
      if (!fresh) throw new Error(`session of call ${next.callSid} vanished during its step`);
      next = { ...next, pendingVars: stillPending(fresh.session.pendingVars, consumed), endedAt: fresh.session.endedAt };
      expected = fresh.version;
    }
    throw new Error(`session of call ${next.callSid} kept changing during its step`);
  }

  private async startSession(req: VoiceStepRequest, start: NonNullable<VoiceStepRequest['start']>): Promise<StoredSession | undefined> {
    const published = start.campaignFlow
      ? await this.flows.getVersion(req.tenantId, start.campaignFlow.flowId, start.campaignFlow.version)
      : await this.flows.resolveForNumber(req.tenantId, start.number);
    if (!published) {
      this.metrics.count('no-flow');
      this.logger.warn(`tenant ${req.tenantId} call ${req.callSid}: number ${start.number} has no flow with a published version; fallback`);
      return undefined;
    }
    const now = new Date().toISOString();
    const session: CallSession = {
      tenantId: req.tenantId, callSid: req.callSid, flowId: published.flowId, flowVersion: published.version, system: start.system,
      state: initialState(published.flow), pendingVars: {}, seq: 0, lastAnswer: null, hold: null, startedAt: now, updatedAt: now, endedAt: null,
    };
    return (await this.sessions.create(session)) ?? this.sessions.load(req.tenantId, req.callSid);
  }

  /** The call's step lock, with its session as read under it. */
  private async lock(tenantId: TenantId, callSid: string): Promise<StepLock> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const lock = await this.sessions.lockAndLoad(tenantId, callSid, LOCK_TTL_MS);
      if (lock) return lock;
      if (Date.now() > deadline) throw new Error(`call ${callSid} stayed busy for ${LOCK_WAIT_MS} ms`);
      await sleep(25);
    }
  }
}
