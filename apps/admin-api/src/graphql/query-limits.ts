import type { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';

/** Limits that refuse abusive queries before they run: depth, aliases, cost, tokens, directives; no batching. */
export const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxCost: 5000, maxTokens: 2000, maxDirectives: 20 } as const;

export function queryProtection() {
  const { plugins, validationRules, allowBatchedHttpRequests } = new ApolloArmor({
    // Introspection is exempt (its standard query is ~21 deep); production turns introspection off instead.
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    maxTokens: { n: QUERY_LIMITS.maxTokens },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
  }).protect();
  // graphql-armor types its plugins against @apollo/server's ESM build, Nest against the CJS one: same objects.
  return { plugins: plugins as unknown as ApolloDriverConfig['plugins'], validationRules, allowBatchedHttpRequests };
}
