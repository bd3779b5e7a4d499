import { randomBytes } from 'node:crypto';

/** Crockford's base32 alphabet: digits and letters without I, L, O and U. */
export const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Random symbols in a serial (5 bits each: 70 bits), followed by one check symbol from the same alphabet. */
export const SERIAL_RANDOM_SYMBOLS = 14;
export const SERIAL_LENGTH = SERIAL_RANDOM_SYMBOLS + 1;
const GROUP = 5;

const VALUE = new Map<string, number>([...SERIAL_ALPHABET].map((symbol, value) => [symbol, value]));

/*
 * The check symbol is Damm's algorithm over the quasigroup x∘y = 2x + y in GF(32) (modulus x^5 + x^2 + 1).
 * For a ≠ 0, 1 that operation is totally anti-symmetric, so one wrong symbol anywhere (check symbol included)
 * and any swap of two neighbours (check symbol included) always change the result; serial.spec.ts checks both
 * exhaustively. Unlike Crockford's mod-37 symbol it needs no extra characters (*~$=U) that a POS keypad lacks.
 */
function times2(value: number): number {
  const shifted = value << 1;
  return shifted & 0b100000 ? shifted ^ 0b100101 : shifted;
}

function fold(values: readonly number[]): number {
  let state = 0;
  for (const value of values) state = times2(state) ^ value;
  return state;
}

/** The check symbol's value for the given symbol values: the one that folds the whole serial to 0. */
export function checkValue(values: readonly number[]): number {
  return times2(fold(values));
}

/**
 * A fresh serial in canonical form (15 symbols, no dashes), from crypto.randomBytes. Symbols are drawn one by one,
 * so the byte-oriented base32 packages (@scure/base, base32-encode; ESM-only, which jest here does not load) add nothing.
 */
export function generateSerial(): string {
  // 256 is a multiple of 32, so the low 5 bits of each random byte are uniform.
  const values = [...randomBytes(SERIAL_RANDOM_SYMBOLS)].map((byte) => byte & 31);
  return [...values, checkValue(values)].map((value) => SERIAL_ALPHABET[value]).join('');
}

/** A canonical serial in groups for people: `7KQ4M-2XD9P-HT3QR`. */
export function formatSerial(serial: string): string {
  const groups: string[] = [];
  for (let i = 0; i < serial.length; i += GROUP) groups.push(serial.slice(i, i + GROUP));
  return groups.join('-');
}

export type ParsedSerial =
  | { kind: 'valid'; serial: string }
  | { kind: 'malformed'; normalised: string; reason: string }
  | { kind: 'check-failed'; normalised: string };

/**
 * Reads a serial as a person typed it: case, spaces and dashes are ignored; O is read as 0, I and L as 1.
 * `malformed` is the wrong length or characters outside the alphabet; `check-failed` is a well-formed
 * serial whose check symbol does not match (a typo).
 */
export function parseSerial(input: string): ParsedSerial {
  const normalised = input
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  const stray = [...normalised].find((symbol) => !VALUE.has(symbol));
  if (stray !== undefined) {
    // Control characters (NUL above all, which Postgres text refuses) become U+FFFD: the attempt is still recorded.
    // eslint-disable-next-line no-control-regex
    return { kind: 'malformed', normalised: normalised.replace(/[\u0000-\u001f\u007f]/g, '\ufffd'), reason: `${JSON.stringify(stray)} is not a serial character (use 0-9 and A-Z without U)` };
  }
  if (normalised.length !== SERIAL_LENGTH) {
    return { kind: 'malformed', normalised, reason: `a serial has ${SERIAL_LENGTH} characters, this has ${normalised.length}` };
  }
  const values = [...normalised].map((symbol) => VALUE.get(symbol)!);
  if (fold(values) !== 0) return { kind: 'check-failed', normalised };
  return { kind: 'valid', serial: normalised };
}
