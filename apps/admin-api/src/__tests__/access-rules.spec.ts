import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS } from '@ringflow/tenancy';
import { IS_PUBLIC } from '@ringflow/observability';
import { adminApiResolvers } from '../admin-api.resolvers';
import { printAdminSchema } from '../schema/print-schema';

const RESOLVER_TYPE = 'graphql:resolver_type'; // @nestjs/graphql's metadata key for @Query/@Mutation/@Subscription

describe('admin API access rules', () => {
  it('every query and mutation states who may call it (deny by default catches the rest)', () => {
    const undeclared: string[] = [];
    for (const resolver of adminApiResolvers) {
      for (const name of Object.getOwnPropertyNames(resolver.prototype)) {
        const method = (resolver.prototype as unknown as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof method !== 'function' || !Reflect.getMetadata(RESOLVER_TYPE, method)) continue;
        if (!Reflect.getMetadata(ACCESS, method) && !Reflect.getMetadata(IS_PUBLIC, method)) undeclared.push(`${resolver.name}.${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('the committed schema.graphql is current (run `npm run schema:generate` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(await printAdminSchema()).toBe(committed);
  });
});
