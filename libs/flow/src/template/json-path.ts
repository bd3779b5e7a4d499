import { JSONPath } from 'jsonpath-plus';

const segment = String.raw`(?:\.[A-Za-z_$][A-Za-z0-9_$-]*|\.\*|\[\d+\]|\[\*\]|\['[^'\]]+'\]|\["[^"\]]+"\])`;
const pathPattern = new RegExp(`^\\$(?:\\.\\.?[A-Za-z_$][A-Za-z0-9_$-]*|${segment}|\\.\\.\\*)*$`);

/**
 * Why a JSONPath is not accepted, or null. Only plain member, index and wildcard steps are allowed:
 * filter and script expressions are refused at save so nothing is ever evaluated as code.
 */
export function checkJsonPath(path: string): string | null {
  if (!path.startsWith('$')) return 'must start with $';
  if (/[()?@]/.test(path)) return 'filter and script expressions are not allowed';
  if (!pathPattern.test(path)) return 'is not a valid JSONPath (use $.a.b, $.list[0], $..name, $.a[*])';
  return null;
}

/** The first value the path selects in the JSON document, or undefined. Script evaluation is disabled. */
export function selectJsonPath(path: string, json: unknown): unknown {
  if (json === null || typeof json !== 'object') return undefined;
  const found = JSONPath({ path, json: json as object, eval: false, wrap: true }) as unknown[];
  return found.length > 0 ? found[0] : undefined;
}
