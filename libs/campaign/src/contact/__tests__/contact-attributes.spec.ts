import { attributesProblem, CONTACT_ATTRIBUTE_LIMITS } from '../contact-attributes';

describe('contact attributes', () => {
  it('takes a flat object of strings, numbers and booleans, or nothing', () => {
    expect(attributesProblem(undefined)).toBeNull();
    expect(attributesProblem({ tier: 'gold', visits: 3, vip: false, 'store-id': '12', Favourite_drink: 'cortado' })).toBeNull();
  });

  it('names what is wrong: the shape, a name, a value, or the size', () => {
    expect(attributesProblem(['gold'])).toEqual({ field: 'attributes', message: 'attributes must be an object of names to values' });
    expect(attributesProblem('gold')).toEqual({ field: 'attributes', message: 'attributes must be an object of names to values' });
    expect(attributesProblem({ 'a b': 1 })).toEqual({ field: 'attributes.a b', message: '"a b" is not an attribute name (a letter, then up to 63 letters, digits, "_" or "-")' });
    expect(attributesProblem({ ['k'.repeat(65)]: 1 })?.field).toBe(`attributes.${'k'.repeat(65)}`);
    expect(attributesProblem({ seen: null })).toEqual({ field: 'attributes.seen', message: 'seen must be a string, a number or a boolean' });
    expect(attributesProblem({ score: Number.NaN })).toEqual({ field: 'attributes.score', message: 'score must be a finite number' });
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(CONTACT_ATTRIBUTE_LIMITS.valueLength)]));
    expect(attributesProblem(big)).toEqual({ field: 'attributes', message: expect.stringMatching(/^attributes take at most 8192 bytes as JSON, not \d+$/) });
  });
});
