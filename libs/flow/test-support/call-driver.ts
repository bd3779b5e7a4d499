import { step } from '../src/runtime/flow-runtime';
import { initialState, type FlowState } from '../src/runtime/flow-state';
import type { Instruction } from '../src/runtime/instructions';
import type { StepOptions, StepResult, SystemValues } from '../src/runtime/step-io';
import type { Flow } from '../src/schema/flow-document.schema';
import { renderTwiml } from '../src/twiml/twiml-renderer';
import { validateFlow } from '../src/validation/flow-validator';
import { recordingPorts, type PortAnswers, type PortCalls } from './recording-ports';

export const testSystem: SystemValues = {
  caller: '+15551230001', called: '+15559870000', callSid: 'CA0123456789abcdef0123456789abcdef', direction: 'inbound', tenant: 'tenant-a',
};

export const testRender = {
  resumeUrl: (r: { nodeId: string }) => `https://gw.example.com/twilio/voice/step?node=${r.nodeId}&t=1`,
  waitUrl: () => 'https://gw.example.com/twilio/voice/hold?t=1',
};

/** Validates a flow document or fails the test with its errors. */
export function mustValidate(document: unknown): Flow {
  const result = validateFlow(document);
  if (!result.ok) throw new Error(`flow is invalid:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.flow;
}

/** Plays a caller through a flow one webhook at a time, as the gateway would. */
export class CallDriver {
  state: FlowState;
  last!: StepResult;
  readonly calls: PortCalls;
  private readonly ports;
  now = new Date('2026-03-02T15:00:00Z');
  random = 0.5;

  constructor(
    readonly flow: Flow,
    answers: PortAnswers = {},
    readonly system: SystemValues = testSystem,
    readonly extra: Partial<StepOptions> = {},
  ) {
    this.state = initialState(flow);
    const { ports, calls } = recordingPorts(answers);
    this.ports = ports;
    this.calls = calls;
  }

  async post(params: Record<string, string> = {}, vars?: Record<string, unknown>): Promise<StepResult> {
    this.last = await step(this.flow, this.state, { system: this.system, params, ...(vars ? { vars } : {}) }, this.ports, {
      now: () => this.now, random: () => this.random, timeZone: 'Europe/Paris',
      fallback: { apology: 'Sorry, something went wrong.', then: { kind: 'hangup' } }, ...this.extra,
    });
    this.state = JSON.parse(JSON.stringify(this.last.state)) as FlowState;
    return this.last;
  }

  start(): Promise<StepResult> {
    return this.post();
  }

  press(digits: string): Promise<StepResult> {
    return this.post({ Digits: digits });
  }

  /** Everything spoken in the last step, prompts inside gathers included. */
  spoken(): string[] {
    return spokenIn(this.last.instructions);
  }

  kinds(): string[] {
    return this.last.instructions.filter((i) => i.kind !== 'marker').map((i) => i.kind);
  }

  twiml(): string {
    return renderTwiml(this.last.instructions, testRender);
  }
}

export function spokenIn(instructions: Instruction[]): string[] {
  return instructions.flatMap((i) => (i.kind === 'say' ? [i.text] : i.kind === 'gather' ? i.prompts.flatMap((p) => (p.kind === 'say' ? [p.text] : [])) : []));
}
