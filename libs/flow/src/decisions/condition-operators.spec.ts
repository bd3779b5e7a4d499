import { compareTemporal, evaluateCase, evaluateRule, type RenderedRule } from './condition-operators';

const zone = 'Europe/Paris';
const rule = (op: RenderedRule['op'], value: string, operand?: string, operands?: string[]): RenderedRule => ({ op, value, operand, operands });

describe('evaluateRule', () => {
  it.each([
    [rule('equals', ' VIP ', 'vip'), true],
    [rule('equals', 'vip', 'gold'), false],
    [rule('not-equals', 'vip', 'gold'), true],
    [rule('contains', 'gold,new', 'GOLD'), true],
    [rule('not-contains', 'gold,new', 'silver'), true],
    [rule('starts-with', '+33612345678', '+33'), true],
    [rule('starts-with', '+44612345678', '+33'), false],
    [rule('any-of', '202020', undefined, ['101010', '202020']), true],
    [rule('any-of', '303030', undefined, ['101010', '202020']), false],
    [rule('regex', 'ORD-1234', '^ORD-\\d{4}$'), true],
    [rule('regex', 'ord-1234', '^ORD-\\d{4}$'), false],
    [rule('blank', '  '), true],
    [rule('not-blank', 'x'), true],
    [rule('less-than', '9', '10'), true],
    [rule('less-than', 'abc', '10'), false],
    [rule('greater-than', '900.5', '900'), true],
    [rule('greater-than', '', '-1'), false],
  ])('%j holds: %s', (r, expected) => {
    expect(evaluateRule(r, zone)).toBe(expected);
  });

  it('compares times of day and dates in the tenant zone', () => {
    const now = '2026-07-01T16:30:00.000Z';
    expect(evaluateRule(rule('after', now, '18:00'), zone)).toBe(true);
    expect(evaluateRule(rule('before', now, '18:00'), 'America/New_York')).toBe(true);
    expect(evaluateRule(rule('before', now, '2026-07-02'), zone)).toBe(true);
    expect(evaluateRule(rule('after', '2026-12-31T23:30:00Z', '2026-12-31'), zone)).toBe(true);
    expect(evaluateRule(rule('before', '08:59', '09:00'), zone)).toBe(true);
    expect(compareTemporal('not a time', '09:00', zone)).toBeNull();
    expect(evaluateRule(rule('after', 'not a time', '09:00'), zone)).toBe(false);
  });
});

describe('evaluateCase', () => {
  const rules = [rule('equals', 'a', 'a'), rule('equals', 'a', 'b')];
  it('needs every rule for all and one for any', () => {
    expect(evaluateCase('all', rules, zone)).toBe(false);
    expect(evaluateCase('any', rules, zone)).toBe(true);
  });
});
