import { SessionException } from './session.exception';

/** Bounds on what outside systems may write into a live call. */
export const sessionLimits = {
  variablesPerPatch: 50,
  stringValueChars: 4096,
  /** Serialised size of all of a call's variables together. */
  variablesBytes: 32 * 1024,
  /** Serialised size of a whole session. */
  sessionBytes: 256 * 1024,
} as const;

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks a PATCH's variables: names the runtime accepts, plain values, within the limits. Throws naming the field at fault. */
export function checkVariables(vars: unknown): Record<string, string | number | boolean | null> {
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) {
    throw new SessionException('invalid-input', 'variables must be an object of name -> value', 'variables');
  }
  const entries = Object.entries(vars as Record<string, unknown>);
  if (entries.length === 0) throw new SessionException('invalid-input', 'variables is empty', 'variables');
  if (entries.length > sessionLimits.variablesPerPatch) {
    throw new SessionException('too-large', `at most ${sessionLimits.variablesPerPatch} variables per request (${entries.length} given)`, 'variables');
  }
  const out: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of entries) {
    const field = `variables.${name}`;
    if (!NAME.test(name) || RESERVED.has(name)) {
      throw new SessionException('invalid-input', 'a variable name starts with a letter or _ and has at most 64 letters, digits or _', field);
    }
    if (typeof value === 'string') {
      if (value.length > sessionLimits.stringValueChars) {
        throw new SessionException('too-large', `a text value has at most ${sessionLimits.stringValueChars} characters`, field);
      }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new SessionException('invalid-input', 'a number must be finite', field);
    } else if (typeof value !== 'boolean' && value !== null) {
      throw new SessionException('invalid-input', 'a value must be text, a number, true/false or null', field);
    }
    out[name] = value as string | number | boolean | null;
  }
  return out;
}

export function checkVariablesSize(vars: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(vars));
  if (bytes > sessionLimits.variablesBytes) {
    throw new SessionException('too-large', `a call's variables may take at most ${sessionLimits.variablesBytes} bytes (${bytes} after this change)`, 'variables');
  }
}
