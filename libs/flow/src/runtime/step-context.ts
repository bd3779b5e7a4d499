import type { PromptSpec } from '../schema/common.schema';
import type { Flow } from '../schema/flow-document.schema';
import { templateEngine, type TemplateScope } from '../template/template-engine';
import type { FlowState } from './flow-state';
import type { Prompt } from './instructions';
import type { StepInput, StepOptions, StepPorts } from './step-io';

/** What an executor may read and change during one step. */
export class StepContext {
  readonly now: Date;
  private scope: TemplateScope | null = null;
  nodeId = '';

  constructor(
    readonly flow: Flow,
    readonly state: FlowState,
    readonly input: StepInput,
    readonly ports: StepPorts,
    readonly options: StepOptions,
  ) {
    this.now = options.now();
  }

  /** Built on the first render of a step: many nodes render nothing. */
  private templateScope(): TemplateScope {
    if (!this.scope) {
      const nodes: Record<string, Record<string, unknown>> = { ...this.state.nodes };
      for (const [id, values] of Object.entries(this.state.sensitive)) nodes[id] = { ...nodes[id], ...values };
      this.scope = { system: { ...this.input.system, now: this.now.toISOString() }, vars: this.state.vars, nodes };
    }
    return this.scope;
  }

  get params(): Record<string, string> {
    return this.input.params;
  }

  /** Renders a Liquid template in this call's scope. */
  render(template: string): string {
    if (!template.includes('{')) return template;
    return templateEngine.render(template, this.templateScope());
  }

  /** Records what the current node produced under `nodes.<id>.*`; sensitive values are kept apart. */
  setOutputs(outputs: Record<string, unknown>, sensitive?: Record<string, string>): void {
    this.state.nodes[this.nodeId] = outputs;
    if (sensitive) this.state.sensitive[this.nodeId] = sensitive;
    if (this.scope) this.scope.nodes[this.nodeId] = { ...outputs, ...sensitive };
  }

  setVar(name: string, value: unknown): void {
    this.state.vars[name] = value;
  }

  /** Stable per node visit: a replayed step yields the same key. */
  idempotencyKey(): string {
    return `${this.input.system.callSid}-${this.nodeId}-${this.state.visits}`;
  }

  portAction(): { idempotencyKey: string; tenant: string; callSid: string } {
    return { idempotencyKey: this.idempotencyKey(), tenant: this.input.system.tenant, callSid: this.input.system.callSid };
  }

  /** A prompt with its templates rendered, or null when it renders to nothing (Twilio refuses an empty Say or Play). */
  prompt(spec: PromptSpec): Prompt | null {
    switch (spec.kind) {
      case 'say':
        return this.say(spec.text, spec.voice, spec.language, spec.loop);
      case 'play':
        return this.play(spec.url, spec.loop);
      case 'pause':
        return { kind: 'pause', seconds: spec.seconds };
    }
  }

  prompts(specs: PromptSpec[] | undefined): Prompt[] {
    return (specs ?? []).map((p) => this.prompt(p)).filter((p): p is Prompt => p !== null);
  }

  say(text: string, voice?: string, language?: string, loop?: number): Prompt | null {
    const rendered = this.render(text);
    if (rendered.trim() === '') return null;
    const v = voice ?? this.options.defaultVoice;
    const l = language ?? this.options.defaultLanguage;
    return { kind: 'say', text: rendered, ...(v ? { voice: v } : {}), ...(l ? { language: l } : {}), ...(loop ? { loop } : {}) };
  }

  play(url: string, loop?: number): Prompt | null {
    const rendered = this.render(url).trim();
    return rendered === '' ? null : { kind: 'play', url: rendered, ...(loop ? { loop } : {}) };
  }
}
