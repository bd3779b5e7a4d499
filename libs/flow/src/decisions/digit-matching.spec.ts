import { judgeDigits, matchMenuKey } from './digit-matching';

describe('matchMenuKey', () => {
  it('matches the first key pressed', () => {
    expect(matchMenuKey('1', ['1', '9'])).toEqual({ kind: 'key', key: '1' });
    expect(matchMenuKey('#', ['#'])).toEqual({ kind: 'key', key: '#' });
    expect(matchMenuKey('92', ['1', '9'])).toEqual({ kind: 'key', key: '9' });
  });
  it('tells no input from a wrong key', () => {
    expect(matchMenuKey(undefined, ['1'])).toEqual({ kind: 'no-input' });
    expect(matchMenuKey(' ', ['1'])).toEqual({ kind: 'no-input' });
    expect(matchMenuKey('5', ['1'])).toEqual({ kind: 'invalid' });
  });
});

describe('judgeDigits', () => {
  const card = { minDigits: 16, maxDigits: 16, luhn: true };
  it('accepts a valid card and drops a trailing finish key', () => {
    expect(judgeDigits('4111111111111111#', card)).toEqual({ kind: 'valid', digits: '4111111111111111' });
  });
  it.each([
    ['', { kind: 'no-input' }],
    ['411111111111111', { kind: 'invalid', reason: 'too-short' }],
    ['41111111111111111', { kind: 'invalid', reason: 'too-long' }],
    ['4111111111111112', { kind: 'invalid', reason: 'luhn' }],
    ['41111111*1111111', { kind: 'invalid', reason: 'not-digits' }],
  ])('judges %j', (raw, verdict) => {
    expect(judgeDigits(raw, card)).toEqual(verdict);
  });
  it('applies a pattern', () => {
    const rules = { minDigits: 7, maxDigits: 7, luhn: false, pattern: '^[1-9]\\d{6}$' };
    expect(judgeDigits('1234567', rules)).toEqual({ kind: 'valid', digits: '1234567' });
    expect(judgeDigits('0234567', rules)).toEqual({ kind: 'invalid', reason: 'pattern' });
  });
});
