import type { ConditionOperator } from '../schema/logic-nodes.schema';
import { parseTimeOfDay, toZonedTime } from './zoned-time';

/** A rule after its templates were rendered. */
export interface RenderedRule {
  op: ConditionOperator;
  value: string;
  operand?: string;
  operands?: string[];
}

const maxRegexInput = 1000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function toNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function compareNumbers(value: string, operand: string, cmp: (a: number, b: number) => boolean): boolean {
  const a = toNumber(value);
  const b = toNumber(operand);
  return a !== null && b !== null && cmp(a, b);
}

/** Orders a value against an operand as times of day (HH:MM) or dates (YYYY-MM-DD) in the zone; -1, 0, 1 or null. */
export function compareTemporal(value: string, operand: string, timeZone: string): number | null {
  const v = value.trim();
  const o = operand.trim();
  const instant = /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : null;
  const zoned = instant && !Number.isNaN(instant.getTime()) ? toZonedTime(instant, timeZone) : null;
  const sign = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  if (isoDate.test(o)) {
    const date = zoned ? zoned.date : isoDate.test(v) ? v : null;
    return date === null ? null : sign(date, o);
  }
  const target = parseTimeOfDay(o);
  if (target === null) return null;
  const minutes = zoned ? zoned.minutes : parseTimeOfDay(v);
  return minutes === null ? null : sign(minutes, target);
}

/** Whether one rendered rule holds. Text comparisons are case-insensitive and ignore surrounding spaces. */
export function evaluateRule(rule: RenderedRule, timeZone: string): boolean {
  const value = rule.value.trim().toLowerCase();
  const operand = (rule.operand ?? '').trim().toLowerCase();
  switch (rule.op) {
    case 'equals':
      return value === operand;
    case 'not-equals':
      return value !== operand;
    case 'contains':
      return value.includes(operand);
    case 'not-contains':
      return !value.includes(operand);
    case 'starts-with':
      return value.startsWith(operand);
    case 'any-of':
      return (rule.operands ?? []).some((o) => o.trim().toLowerCase() === value);
    case 'regex':
      return new RegExp(rule.operand ?? '').test(rule.value.slice(0, maxRegexInput));
    case 'blank':
      return value === '';
    case 'not-blank':
      return value !== '';
    case 'less-than':
      return compareNumbers(value, operand, (a, b) => a < b);
    case 'greater-than':
      return compareNumbers(value, operand, (a, b) => a > b);
    case 'before':
      return compareTemporal(rule.value, rule.operand ?? '', timeZone) === -1;
    case 'after':
      return compareTemporal(rule.value, rule.operand ?? '', timeZone) === 1;
  }
}

/** Whether a case holds: every rule (`all`) or at least one (`any`). */
export function evaluateCase(match: 'all' | 'any', rules: RenderedRule[], timeZone: string): boolean {
  return match === 'all' ? rules.every((r) => evaluateRule(r, timeZone)) : rules.some((r) => evaluateRule(r, timeZone));
}
