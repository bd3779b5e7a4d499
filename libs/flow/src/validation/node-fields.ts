import type { PromptSpec } from '../schema/common.schema';
import type { FlowNode } from '../schema/flow-document.schema';

/** A template-bearing field of a node. */
export interface TemplateField {
  field: string;
  template: string;
}

function promptTemplates(prompts: PromptSpec[] | undefined, base: string): TemplateField[] {
  return (prompts ?? []).flatMap((p, i): TemplateField[] => {
    if (p.kind === 'say') return [{ field: `${base}.${i}.text`, template: p.text }];
    if (p.kind === 'play') return [{ field: `${base}.${i}.url`, template: p.url }];
    return [];
  });
}

function recordTemplates(record: Record<string, string>, base: string): TemplateField[] {
  return Object.entries(record ?? {}).map(([k, v]) => ({ field: `${base}.${k}`, template: v }));
}

function jsonTemplates(value: unknown, base: string): TemplateField[] {
  if (typeof value === 'string') return [{ field: base, template: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonTemplates(v, `${base}.${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => jsonTemplates(v, `${base}.${k}`));
  }
  return [];
}

/** Every Liquid template in a node, with the field it sits in. Regex operands are patterns, not templates. */
export function nodeTemplates(node: FlowNode): TemplateField[] {
  switch (node.type) {
    case 'say':
      return [{ field: 'text', template: node.text }];
    case 'play':
      return [{ field: 'url', template: node.url }];
    case 'menu':
      return [...promptTemplates(node.prompts, 'prompts'), ...promptTemplates(node.invalidPrompts, 'invalidPrompts'),
        ...promptTemplates(node.noInputPrompts, 'noInputPrompts')];
    case 'input':
      return [...promptTemplates(node.prompts, 'prompts'), ...promptTemplates(node.invalidPrompts, 'invalidPrompts'),
        ...promptTemplates(node.noInputPrompts, 'noInputPrompts')];
    case 'http': {
      const body = node.body === undefined ? []
        : node.body.format === 'json' ? jsonTemplates(node.body.value, 'body.value') : recordTemplates(node.body.fields, 'body.fields');
      return [{ field: 'url', template: node.url }, ...recordTemplates(node.headers, 'headers'), ...body];
    }
    case 'condition':
      return node.cases.flatMap((c, i) =>
        c.rules.flatMap((r, j): TemplateField[] => {
          const base = `cases.${i}.rules.${j}`;
          const own = [{ field: `${base}.value`, template: r.value }];
          if (r.op === 'any-of') return [...own, ...r.operands.map((o, k) => ({ field: `${base}.operands.${k}`, template: o }))];
          if (!('operand' in r) || r.op === 'regex') return own;
          return [...own, { field: `${base}.operand`, template: r.operand }];
        }),
      );
    case 'set':
      return recordTemplates(node.vars, 'vars');
    case 'sms':
      return [{ field: 'to', template: node.to }, { field: 'body', template: node.body }];
    case 'email':
      return [{ field: 'to', template: node.to }, { field: 'subject', template: node.subject }, { field: 'body', template: node.body }];
    case 'coupon':
      return [{ field: 'to', template: node.to }];
    case 'opt-out':
      return [{ field: 'number', template: node.number }];
    case 'queue':
      return [{ field: 'queue', template: node.queue }, { field: 'priority', template: node.priority },
        ...(node.holdMusicUrl ? [{ field: 'holdMusicUrl', template: node.holdMusicUrl }] : []),
        ...(node.holdMessage ? [{ field: 'holdMessage', template: node.holdMessage }] : [])];
    case 'dial':
      return [{ field: 'number', template: node.number }, ...(node.callerId ? [{ field: 'callerId', template: node.callerId }] : [])];
    case 'voicemail':
    case 'wait':
    case 'hangup':
      return promptTemplates(node.prompts, 'prompts');
    case 'pause':
    case 'hours':
    case 'split':
    case 'goto':
      return [];
  }
}

/** Every regular expression in a node, with its field. */
export function nodeRegexes(node: FlowNode): { field: string; pattern: string }[] {
  if (node.type === 'input' && node.pattern !== undefined) return [{ field: 'pattern', pattern: node.pattern }];
  if (node.type !== 'condition') return [];
  return node.cases.flatMap((c, i) =>
    c.rules.flatMap((r, j) => (r.op === 'regex' ? [{ field: `cases.${i}.rules.${j}.operand`, pattern: r.operand }] : [])),
  );
}
