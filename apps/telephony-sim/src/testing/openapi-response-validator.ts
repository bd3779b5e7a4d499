import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

/** `../shared/twilio-openapi` beside the repository, unless TWILIO_OPENAPI_DIR says otherwise. */
const SPEC_DIR = process.env.TWILIO_OPENAPI_DIR ?? resolve(__dirname, '../../../../../shared/twilio-openapi');
type Json = Record<string, unknown>;

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;

/**
 * Twilio serves every documented field (null where it has no value) and nothing else, while
 * its OpenAPI files mark few fields nullable and none required. So the checked schema is
 * stricter in presence (all properties required, no extra ones) and lenient in null-ness,
 * which Twilio's own examples in the same files need (see the spec test).
 */
function tighten(schema: unknown, depth = 0): unknown {
  if (Array.isArray(schema)) return schema.map((s) => tighten(s, depth));
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Json;
  const out: Json = {};
  // `nullable` is dropped: every property gets an explicit null alternative below.
  for (const [k, v] of Object.entries(s)) if (k !== 'nullable') out[k] = k === 'properties' ? v : tighten(v, depth + 1);
  if (s.type === 'object' && s.properties && typeof s.properties === 'object') {
    const props = s.properties as Record<string, unknown>;
    out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, { anyOf: [tighten(v, depth + 1), { type: 'null' }] }]));
    if (s.format !== 'phone-number-capabilities') {
      out.required = Object.keys(props);
      out.additionalProperties = false;
    }
  }
  return out;
}

function loadSpec(file: string): Json {
  const spec = JSON.parse(readFileSync(`${SPEC_DIR}/${file}`, 'utf8')) as Json;
  return { ...spec, components: tighten(spec.components), paths: tighten(spec.paths) };
}

/** Validates JSON the simulator serves against the response schema Twilio's OpenAPI file gives for it. */
export class OpenApiResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv.addFormat('date-time-rfc-2822', RFC_2822);
    this.ajv.addFormat('currency', /^[A-Z]{3}$/);
    this.ajv.addFormat('phone-number', /^\+[1-9]\d{1,14}$/);
    this.ajv.addFormat('http-method', /^(GET|POST)$/);
    this.ajv.addFormat('uri', (v: string) => v.startsWith('/') || /^https?:\/\//.test(v));
    for (const f of ['uri-map', 'phone-number-capabilities', 'iso-country-code', 'date-time', 'date', 'sid', 'int32']) this.ajv.addFormat(f, true);
    this.ajv.addSchema(loadSpec('twilio_api_v2010.json'), 'api');
    this.ajv.addSchema(loadSpec('twilio_lookups_v2.json'), 'lookups');
  }

  /** Errors (empty when valid) of `body` against `paths[path][method].responses[status]`. */
  errors(spec: 'api' | 'lookups', path: string, method: 'get' | 'post', status: number, body: unknown): string[] {
    const pointer = `${spec}#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`;
    let validate = this.cache.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: pointer });
      this.cache.set(pointer, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }

  /** Twilio's own examples for a response, to show the checks accept what Twilio itself answers. */
  examples(spec: 'api' | 'lookups', path: string, method: 'get' | 'post', status: number): unknown[] {
    const raw = JSON.parse(readFileSync(`${SPEC_DIR}/${spec === 'api' ? 'twilio_api_v2010.json' : 'twilio_lookups_v2.json'}`, 'utf8')) as Json;
    const op = ((raw.paths as Json)[path] as Json)[method] as Json;
    const content = ((op.responses as Json)[String(status)] as Json).content as Json;
    const ex = ((content['application/json'] as Json).examples ?? {}) as Record<string, { value: unknown }>;
    return Object.values(ex).map((e) => e.value);
  }
}
