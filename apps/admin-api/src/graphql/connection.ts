import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, type Page, type PageRequest } from '@ringflow/campaign';
import { TenancyException } from '@ringflow/tenancy';

@ObjectType('PageInfo')
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1 to 100' }) first?: number;
  @Field(() => String, { nullable: true, description: "The previous page's endCursor" }) after?: string | null;
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
}

/** A Relay connection type of `node` named `<name>Connection`, with `<name>Edge`. */
export function ConnectionOf<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node) node: T;
    @Field() cursor: string;
  }
  @ObjectType({ isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  return ConnectionType as unknown as Type<Connection<T>>;
}

const encode = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

/** The page request of the arguments, with the opaque cursor read back into the item key it stands for. */
export function pageRequest(args: PageArgs): PageRequest {
  if (!args.after) return { first: args.first };
  const key = Buffer.from(args.after, 'base64url').toString('utf8');
  if (!key || encode(key) !== args.after.replace(/=+$/, '')) throw new TenancyException('invalid-input', 'after is not a cursor this API gave', 'after');
  return { first: args.first, after: key };
}

/** A page as a connection; `keyOf` gives the key the page's query continues after. */
export function connectionOf<T, N = T>(page: Page<T>, keyOf: (item: T) => string, map: (item: T) => N = (item) => item as unknown as N): Connection<N> {
  const edges = page.items.map((item) => ({ node: map(item), cursor: encode(keyOf(item)) }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** A short list already in memory, paged the same way (merchants, endpoints: a handful per tenant). */
export function pageInMemory<T>(items: T[], request: PageRequest, keyOf: (item: T) => string): Page<T> {
  const first = request.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new TenancyException('invalid-input', `first must be a whole number from 1 to 100, not ${first}`, 'first');
  const start = request.after ? items.findIndex((item) => keyOf(item) === request.after) + 1 : 0;
  if (request.after && start === 0) return { items: [], hasNextPage: false };
  return { items: items.slice(start, start + first), hasNextPage: items.length > start + first };
}
