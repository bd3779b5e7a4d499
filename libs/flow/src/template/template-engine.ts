import { Liquid, Tag, type Template } from 'liquidjs';

/** What a template sees: `system.*`, `vars.*` and `nodes.<id>.*`. */
export interface TemplateScope {
  system: Record<string, unknown>;
  vars: Record<string, unknown>;
  nodes: Record<string, Record<string, unknown>>;
}

const forbiddenTags = ['include', 'render', 'layout', 'block'];
const maxCachedTemplates = 10_000;
const renderLimitMs = 100;
const renderLimitMessage = 'template render limit exceeded';

/** Liquid with strict filters, no file access, and a parse cache keyed by template text. */
export class TemplateEngine {
  private readonly liquid: Liquid;
  private readonly cache = new Map<string, Template[]>();

  constructor() {
    this.liquid = new Liquid({
      strictFilters: true,
      ownPropertyOnly: true,
      parseLimit: 100_000,
      memoryLimit: 10_000_000,
      // A template may not hold a webhook: past this many milliseconds the render throws and the step faults.
      renderLimit: renderLimitMs,
      relativeReference: false,
    });
    for (const name of forbiddenTags) {
      this.liquid.registerTag(
        name,
        class extends Tag {
          constructor(...args: ConstructorParameters<typeof Tag>) {
            super(...args);
            throw new Error(`the {% ${name} %} tag is not allowed in flows`);
          }
          *render(): Generator<unknown, void, unknown> {}
        },
      );
    }
  }

  /** Parses the template, or throws with the Liquid error message. */
  parse(source: string): Template[] {
    const hit = this.cache.get(source);
    if (hit) return hit;
    const parsed = this.liquid.parse(source);
    if (this.cache.size >= maxCachedTemplates) this.cache.clear();
    this.cache.set(source, parsed);
    return parsed;
  }

  /** The parse error of a template, or null when it parses. */
  check(source: string): string | null {
    try {
      this.parse(source);
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /**
   * Renders a template; text without `{` is returned as is. The render limit counts wall-clock time, so a pause
   * that is not the template's doing (garbage collection, the process descheduled on a busy machine) can trip it:
   * rendering is pure, so a render that hits the limit gets one more try, and a template that is really that slow
   * fails the second time too (at most twice the limit).
   */
  render(source: string, scope: TemplateScope): string {
    if (!source.includes('{')) return source;
    const templates = this.parse(source);
    try {
      return this.liquid.renderSync(templates, scope) as string;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes(renderLimitMessage)) throw err;
      return this.liquid.renderSync(templates, scope) as string;
    }
  }
}

/** The engine shared by validation and the runtime, so each template is parsed once per process. */
export const templateEngine = new TemplateEngine();
