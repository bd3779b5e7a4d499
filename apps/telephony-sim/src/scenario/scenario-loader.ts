import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Scenario, scenarioSchema } from './scenario.schema';

/** Replaces `{{name}}` in every string of a parsed document; an unknown name is an error. */
export function substitute(value: unknown, vars: Record<string, string>, where = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, name: string) => {
      if (!(name in vars)) throw new Error(`${where || '(root)'}: unknown variable {{${name}}} (known: ${Object.keys(vars).join(', ') || 'none'})`);
      return vars[name];
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, vars, `${where}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars, where ? `${where}.${k}` : k)]));
  }
  return value;
}

/** Checks a parsed scenario document; the error names the file and every field at fault. */
export function parseScenario(doc: unknown, source: string, vars: Record<string, string> = {}): Scenario {
  const result = scenarioSchema.safeParse(substitute(doc, vars));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
  throw new Error(`scenario ${source} is invalid:\n${issues}`);
}

/** Reads a scenario from a .yaml, .yml or .json file. */
export function loadScenarioFile(path: string, vars: Record<string, string> = {}): Scenario {
  const text = readFileSync(path, 'utf8');
  let doc: unknown;
  try {
    doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`scenario ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { cause: err });
  }
  return parseScenario(doc, path, vars);
}
