import safeRegex from 'safe-regex2';
import { isKnownTimeZone } from '../decisions/zoned-time';
import type { FlowNode } from '../schema/flow-document.schema';
import { checkJsonPath } from '../template/json-path';
import { templateEngine } from '../template/template-engine';
import type { FlowError } from './flow-error';
import { nodeRegexes, nodeTemplates } from './node-fields';

/** Runs a check that may meet a malformed node (one that failed its schema); such a node is skipped. */
function tolerant<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    return [];
  }
}

/**
 * Problems inside one node: templates, regexes, JSONPaths, menu keys, time zones, digit bounds. Also run on
 * nodes that failed their schema, so one save reports as much as it can.
 */
export function checkNodeContent(nodeId: string, node: FlowNode): FlowError[] {
  const errors: FlowError[] = [];
  const add = (field: string, message: string) => errors.push({ nodeId, field, message });

  for (const { field, template } of tolerant(() => nodeTemplates(node))) {
    if (typeof template !== 'string') continue;
    const problem = templateEngine.check(template);
    if (problem) add(field, `template does not parse: ${problem}`);
  }
  for (const { field, pattern } of tolerant(() => nodeRegexes(node))) {
    if (typeof pattern !== 'string') continue;
    try {
      new RegExp(pattern);
    } catch (err) {
      add(field, `regex does not compile: ${(err as Error).message}`);
      continue;
    }
    if (!safeRegex(pattern)) add(field, 'regex can backtrack catastrophically (nested or overlapping repetition); simplify it');
  }
  if (node.type === 'http') {
    for (const [name, path] of Object.entries(node.extract ?? {})) {
      const problem = typeof path === 'string' ? checkJsonPath(path) : null;
      if (problem) add(`extract.${name}`, `JSONPath ${problem}`);
    }
  }
  if (node.type === 'menu' && Array.isArray(node.options)) {
    const seen = new Map<string, number>();
    node.options.forEach((o: { key?: unknown } | null, i) => {
      if (typeof o?.key !== 'string') return;
      const first = seen.get(o.key);
      if (first === undefined) seen.set(o.key, i);
      else add(`options.${i}.key`, `key '${o.key}' is already used by options.${first}`);
    });
  }
  if (node.type === 'input' && node.minDigits > node.maxDigits) {
    add('minDigits', `minDigits (${node.minDigits}) is greater than maxDigits (${node.maxDigits})`);
  }
  if (node.type === 'hours' && typeof node.timeZone === 'string' && !isKnownTimeZone(node.timeZone)) add('timeZone', `unknown time zone '${node.timeZone}'`);
  return errors;
}
