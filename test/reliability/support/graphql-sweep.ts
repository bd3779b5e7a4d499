import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema, getNamedType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType,
  type GraphQLField, type GraphQLInputType, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';

/** The committed schema (a test elsewhere fails while it is stale), so a new operation reaches the sweep without a edit here. */
export function committedSchema(): GraphQLSchema {
  return buildSchema(readFileSync(join(__dirname, '../../../apps/admin-api/schema.graphql'), 'utf8'));
}

/** One place an operation takes an id: `['input', 'merchantId']`, the kind of thing it names, and whether it is a list. */
export interface IdSlot {
  path: string[];
  entity: string;
  list: boolean;
}

export interface IdOperation {
  kind: 'query' | 'mutation' | 'subscription';
  name: string;
  field: GraphQLField<unknown, unknown>;
  slots: IdSlot[];
}

/** What a named id argument or input field refers to. */
const ENTITY_OF_ID_NAME: Record<string, string> = {
  listId: 'contactList', merchantId: 'merchant', flowId: 'flow', campaignId: 'campaign', promotionId: 'promotion',
  apiKeyId: 'merchantApiKey', agentIds: 'agent', tenantId: 'tenant', endpointId: 'webhookEndpoint',
};

/** What a bare `id` refers to, by the operation's return type... */
const ENTITY_OF_TYPE: Record<string, string> = {
  Campaign: 'campaign', SmsCampaign: 'smsCampaign', ContactList: 'contactList', Flow: 'flow', FlowPublishPayload: 'flow',
  FlowSavePayload: 'flow', Merchant: 'merchant', Promotion: 'promotion', Agent: 'agent', CallQueue: 'callQueue',
  PhoneNumber: 'phoneNumber', WebhookEndpoint: 'webhookEndpoint', WebhookDelivery: 'webhookDelivery', ApiKey: 'apiKey',
};

/** ...or by name, where the return type does not say (a Boolean). */
const ENTITY_OF_OPERATION: Record<string, string> = { removeWebhookEndpoint: 'webhookEndpoint' };

function entityOf(operation: string, returns: GraphQLOutputType, path: string[]): string {
  const name = path[path.length - 1];
  const entity = name === 'id' ? (ENTITY_OF_OPERATION[operation] ?? ENTITY_OF_TYPE[getNamedType(returns).name]) : ENTITY_OF_ID_NAME[name];
  if (!entity) {
    throw new Error(`${operation}(${path.join('.')}) takes an id the cross-tenant sweep cannot place: name what it refers to in test/reliability/support/graphql-sweep.ts`);
  }
  return entity;
}

function idSlotsOf(type: GraphQLInputType, path: string[], depth = 0): { path: string[]; list: boolean }[] {
  let inner = type;
  let list = false;
  while (isNonNullType(inner) || isListType(inner)) {
    if (isListType(inner)) list = true;
    inner = inner.ofType as GraphQLInputType;
  }
  if (getNamedType(inner).name === 'ID') return [{ path, list }];
  if (isInputObjectType(inner) && depth < 4) {
    return Object.values(inner.getFields()).flatMap((field) => idSlotsOf(field.type, [...path, field.name], depth + 1));
  }
  return [];
}

/** Every Query, Mutation and Subscription field that takes an id anywhere in its arguments, with where. */
export function operationsTakingIds(schema: GraphQLSchema): IdOperation[] {
  const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()], ['subscription', schema.getSubscriptionType()]] as const;
  const found: IdOperation[] = [];
  for (const [kind, root] of roots) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const slots = field.args
        .flatMap((arg) => idSlotsOf(arg.type, [arg.name]))
        .map((slot) => ({ ...slot, entity: entityOf(field.name, field.type, slot.path) }));
      if (slots.length) found.push({ kind, name: field.name, field, slots });
    }
  }
  return found;
}

/** A value for a non-id argument or input field, given the calling tenant (a sample by `Type.field` or by name). */
export type Sample = unknown | ((tenant: SweepTenant) => unknown);

export interface SweepTenant {
  key: string;
  number: string;
  ids: Record<string, string>;
}

export type SlotPicker = (slot: IdSlot) => string;

function buildValue(
  type: GraphQLInputType, path: string[], owner: string, samples: Record<string, Sample>, tenant: SweepTenant, pick: SlotPicker, slots: IdSlot[],
): { value: unknown; present: boolean } {
  const required = isNonNullType(type);
  const slot = slots.find((s) => s.path.join('.') === path.join('.'));
  const name = path[path.length - 1];
  if (slot) {
    const id = pick(slot);
    return { value: slot.list ? [id] : id, present: true };
  }
  const inner = getNamedType(type);
  const sampleKey = [`${owner}.${name}`, name].find((k) => k in samples);
  if (sampleKey !== undefined) {
    const sample = samples[sampleKey];
    return { value: typeof sample === 'function' ? (sample as (t: SweepTenant) => unknown)(tenant) : sample, present: true };
  }
  if (isInputObjectType(inner)) {
    const holdsId = slots.some((s) => s.path.join('.').startsWith(`${path.join('.')}.`));
    if (!required && !holdsId) return { value: undefined, present: false };
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const built = buildValue(field.type, [...path, field.name], inner.name, samples, tenant, pick, slots);
      if (built.present) value[field.name] = built.value;
    }
    return { value: isListType(isNonNullType(type) ? type.ofType : type) ? [value] : value, present: true };
  }
  if (!required) return { value: undefined, present: false };
  if (isEnumType(inner)) return { value: inner.getValues()[0].name, present: true };
  const defaults: Record<string, unknown> = { String: 'sweep', Int: 1, Boolean: false, DateTime: '2027-01-01T00:00:00Z', JSON: {} };
  if (!(inner.name in defaults)) throw new Error(`no sample value for ${owner}.${name} (${inner.name}): add one to the sweep's samples`);
  return { value: defaults[inner.name], present: true };
}

/** The leaf fields of a return type, two levels deep, so that any data an answer leaks is in what is compared. */
export function selectionOf(type: GraphQLOutputType, depth = 2): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const parts: string[] = [];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner)) parts.push(field.name);
    else if (depth > 0) parts.push(`${field.name} ${selectionOf(field.type, depth - 1)}`);
  }
  return `{ __typename ${parts.join(' ')} }`;
}

/** The document and variables that call one operation with ids chosen by `pick` and samples for everything else. */
export function operationCall(operation: IdOperation, samples: Record<string, Sample>, tenant: SweepTenant, pick: SlotPicker) {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const args: string[] = [];
  for (const arg of operation.field.args) {
    const built = buildValue(arg.type, [arg.name], operation.name, samples, tenant, pick, operation.slots);
    if (!built.present) continue;
    variables[arg.name] = built.value;
    definitions.push(`$${arg.name}: ${String(arg.type)}`);
    args.push(`${arg.name}: $${arg.name}`);
  }
  const head = definitions.length ? `(${definitions.join(', ')})` : '';
  const call = args.length ? `(${args.join(', ')})` : '';
  return { query: `${operation.kind}${head} { ${operation.name}${call} ${selectionOf(operation.field.type)} }`, variables };
}
