import type { TwimlElement } from './twiml-tree';
import { TwimlError } from './twiml-error';

/** Typed reads of a TwiML element's attributes, failing with the element and value at fault. */
export class Attrs {
  constructor(private readonly el: TwimlElement) {}

  str(name: string): string | undefined {
    return this.el.attributes[name];
  }

  int(name: string, fallback: number, min = 0): number {
    const raw = this.el.attributes[name];
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
      throw this.invalid(name, raw, `an integer >= ${min}`);
    }
    return Number(raw);
  }

  optionalInt(name: string, min = 1): number | undefined {
    return this.el.attributes[name] === undefined ? undefined : this.int(name, 0, min);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.el.attributes[name];
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') throw this.invalid(name, raw, '"true" or "false"');
    return raw === 'true';
  }

  method(name: string, fallback: 'GET' | 'POST' = 'POST'): 'GET' | 'POST' {
    const raw = this.el.attributes[name];
    if (raw === undefined) return fallback;
    const upper = raw.toUpperCase();
    if (upper !== 'GET' && upper !== 'POST') throw this.invalid(name, raw, 'GET or POST');
    return upper;
  }

  keys(name: string, fallback: string): string {
    const raw = this.el.attributes[name];
    if (raw === undefined) return fallback;
    if (!/^[0-9*#]?$/.test(raw)) throw this.invalid(name, raw, 'one of 0-9, * or #, or empty');
    return raw;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.el.attributes[name];
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) throw this.invalid(name, raw, allowed.join(' | '));
    return raw as T;
  }

  private invalid(name: string, raw: string, expected: string): TwimlError {
    return new TwimlError(12200, `<${this.el.name} ${name}="${raw}">: ${name} must be ${expected}`);
  }
}
