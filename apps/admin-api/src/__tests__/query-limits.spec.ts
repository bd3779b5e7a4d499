import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { QUERY_LIMITS, queryProtection } from '../graphql/query-limits';

// The admin schema is shallow today, so the depth rule is proven on a recursive schema with the same rules.
const recursive = buildSchema('type Query { node: Node } type Node { id: ID, child: Node }');
const nested = (levels: number): string => (levels === 0 ? 'id' : `child { ${nested(levels - 1)} }`);

describe('query limits', () => {
  const rules = [...specifiedRules, ...queryProtection().validationRules];

  it(`refuses a query deeper than ${QUERY_LIMITS.maxDepth}`, () => {
    const errors = validate(recursive, parse(`{ node { ${nested(QUERY_LIMITS.maxDepth)} } }`), rules);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/Query depth limit of 10 exceeded/)]);
  });

  it('accepts one within the limit', () => {
    expect(validate(recursive, parse(`{ node { ${nested(QUERY_LIMITS.maxDepth - 3)} } }`), rules)).toEqual([]);
  });
});
