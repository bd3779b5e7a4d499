import safeRegex from 'safe-regex2';
import { isKnownTimeZone } from '../decisions/zoned-time';
import type { FlowNode } from '../schema/flow-document.schema';
import { checkJsonPath } from '../template/json-path';
import { templateEngine } from '../template/template-engine';
import type { FlowError } from './flow-error';
import { nodeRegexes, nodeTemplates } from './node-fields';

/** Problems inside one parsed node: templates, regexes, JSONPaths, menu keys, time zones, digit bounds. */
export function checkNodeContent(nodeId: string, node: FlowNode): FlowError[] {
  const errors: FlowError[] = [];
  const add = (field: string, message: string) => errors.push({ nodeId, field, message });

  for (const { field, template } of nodeTemplates(node)) {
    const problem = templateEngine.check(template);
    if (problem) add(field, `template does not parse: ${problem}`);
  }
  for (const { field, pattern } of nodeRegexes(node)) {
    try {
      new RegExp(pattern);
    } catch (err) {
      add(field, `regex does not compile: ${(err as Error).message}`);
      continue;
    }
    if (!safeRegex(pattern)) add(field, 'regex can backtrack catastrophically (nested or overlapping repetition); simplify it');
  }
  if (node.type === 'http') {
    for (const [name, path] of Object.entries(node.extract)) {
      const problem = checkJsonPath(path);
      if (problem) add(`extract.${name}`, `JSONPath ${problem}`);
    }
  }
  if (node.type === 'menu') {
    const seen = new Map<string, number>();
    node.options.forEach((o, i) => {
      const first = seen.get(o.key);
      if (first === undefined) seen.set(o.key, i);
      else add(`options.${i}.key`, `key '${o.key}' is already used by options.${first}`);
    });
  }
  if (node.type === 'input' && node.minDigits > node.maxDigits) {
    add('minDigits', `minDigits (${node.minDigits}) is greater than maxDigits (${node.maxDigits})`);
  }
  if (node.type === 'hours' && !isKnownTimeZone(node.timeZone)) add('timeZone', `unknown time zone '${node.timeZone}'`);
  return errors;
}
