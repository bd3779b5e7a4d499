import { Inject, Injectable, Logger } from '@nestjs/common';
import { type FallbackConfig, type Flow, type FlowState, initialState, renderTwiml, step, type Instruction, type SystemValues } from '@ringflow/flow';
import { FlowStore } from '@ringflow/flow-store';
import { CallRecordsRepository, CallSessionStore, type CallSession, type HoldSettings, type StoredSession } from '@ringflow/session';
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
    if (req.seq > 0) await this.waitHold.untilSignalled(req.tenantId, req.callSid, req.seq);
    const release = await this.lock(req.tenantId, req.callSid);
    try {
      const loaded = await this.sessions.load(req.tenantId, req.callSid);
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
        return session.lastAnswer.twiml;
      }
      if (req.seq !== session.seq) {
        this.metrics.count('stale');
        this.logger.warn(`tenant ${req.tenantId} call ${req.callSid}: callback for step ${req.seq} while the call is at step ${session.seq}; last answer replayed`);
        return session.lastAnswer?.twiml ?? fallbackTwiml(req.fallback);
      }
      return await this.runStep(req, stored, fingerprint);
    } finally {
      await release();
    }
  }

  /** A webhook for a call whose final status has arrived: a late or replayed request; hang up and run nothing. */
  private ended(req: VoiceStepRequest, what: string): string {
    this.metrics.count('ended');
    this.logger.warn(`tenant ${req.tenantId} call ${req.callSid}: ${what} after the call ended; hangup answered, nothing run`);
    return hangupTwiml();
  }

  private async runStep(req: VoiceStepRequest, stored: StoredSession, fingerprint: string): Promise<string> {
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
      ...session, state: result.state, pendingVars: {}, seq, lastAnswer: { fingerprint, twiml },
      hold: holdOf(instructions) ?? session.hold, updatedAt: new Date().toISOString(),
    };
    await this.save(stored.version, next, consumed);
    return twiml;
  }

  private async save(expected: number, next: CallSession, consumed: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const result = await this.sessions.replace(expected, next);
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

  private async lock(tenantId: TenantId, callSid: string): Promise<() => Promise<void>> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const release = await this.sessions.tryLock(tenantId, callSid, LOCK_TTL_MS);
      if (release) return release;
      if (Date.now() > deadline) throw new Error(`call ${callSid} stayed busy for ${LOCK_WAIT_MS} ms`);
      await sleep(25);
    }
  }
}
