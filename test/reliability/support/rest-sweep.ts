/** The parts of an OpenAPI 3 document the sweep reads. */
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Parameters and body fields that name something a tenant owns, by name. */
const KIND_OF_NAME: Record<string, string> = { callSid: 'call', tenantId: 'tenant', serial: 'serial' };
const LOOKS_LIKE_AN_ID = /(^id$|Id$|Sid$|^serial$)/;

export interface RestSlot {
  name: string;
  kind: string;
  in: 'path' | 'query' | 'body';
  required: boolean;
}

export interface RestOperation {
  operationId: string;
  method: string;
  /** In Fastify's spelling: `/api/v1/calls/:callSid/session`. */
  route: string;
  slots: RestSlot[];
  /** The path with query and the JSON body, each id slot filled by `pick` (undefined leaves an optional one out). */
  request(pick: (slot: RestSlot) => string | undefined): { path: string; body?: unknown };
}

function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = document.components?.schemas?.[name];
  if (!found) throw new Error(`the OpenAPI document refers to ${schema.$ref}, which it does not define`);
  return resolve(document, found);
}

function kindOf(operationId: string, name: string): string | undefined {
  const kind = KIND_OF_NAME[name];
  if (!kind && LOOKS_LIKE_AN_ID.test(name)) {
    throw new Error(`${operationId} takes ${name}, which looks like an id the REST sweep cannot place: name its kind in test/reliability/support/rest-sweep.ts`);
  }
  return kind;
}

/** Every operation of the document, with where it takes ids; a body field that is neither an id nor in `samples` fails loudly. */
export function restOperations(document: OpenApiDocument, samples: Record<string, unknown>): RestOperation[] {
  const out: RestOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const operationId = operation.operationId ?? `${method} ${path}`;
      const slots: RestSlot[] = [];
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'path' && parameter.in !== 'query') continue;
        const kind = kindOf(operationId, parameter.name);
        if (kind) slots.push({ name: parameter.name, kind, in: parameter.in, required: parameter.in === 'path' || !!parameter.required });
        else if (parameter.in === 'path') throw new Error(`${operationId}: path parameter ${parameter.name} has no value in the sweep`);
      }
      const json = operation.requestBody?.content['application/json']?.schema;
      const body = json ? resolve(document, json) : undefined;
      const fixed: Record<string, unknown> = {};
      for (const [name] of Object.entries(body?.properties ?? {})) {
        const kind = kindOf(operationId, name);
        if (kind) slots.push({ name, kind, in: 'body', required: true });
        else if (name in samples) fixed[name] = samples[name];
        else if (body?.required?.includes(name)) throw new Error(`${operationId}: body field ${name} has no sample in the sweep`);
      }
      const route = path.replace(/\{(\w+)\}/g, ':$1');
      out.push({
        operationId, method: method.toUpperCase(), route, slots,
        request(pick) {
          let filled = route;
          const query = new URLSearchParams();
          const json: Record<string, unknown> = { ...fixed };
          for (const slot of slots) {
            const value = pick(slot);
            if (value === undefined) continue;
            if (slot.in === 'path') filled = filled.replace(`:${slot.name}`, encodeURIComponent(value));
            else if (slot.in === 'query') query.set(slot.name, value);
            else json[slot.name] = value;
          }
          const search = query.toString();
          return { path: search ? `${filled}?${search}` : filled, body: body ? json : undefined };
        },
      });
    }
  }
  return out;
}

/** `METHOD /path` of every route Fastify serves (HEAD and OPTIONS left out), read from its route tree. */
export function fastifyRoutes(fastify: { printRoutes(options: { commonPrefix: boolean }): string }): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    prefixes.length = depth;
    const full = prefixes.join('') + match[2];
    prefixes.push(match[2]);
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push(`${method} ${full}`);
    }
  }
  return [...new Set(routes)].sort();
}
