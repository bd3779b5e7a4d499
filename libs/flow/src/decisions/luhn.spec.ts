import { passesLuhn } from './luhn';

describe('passesLuhn', () => {
  it.each(['4111111111111111', '5500005555555559', '79927398713', '378282246310005'])('accepts %s', (n) => {
    expect(passesLuhn(n)).toBe(true);
  });
  it.each(['4111111111111112', '79927398710', '', '4', '4111-1111-1111-1111', 'abcd'])('refuses %j', (n) => {
    expect(passesLuhn(n)).toBe(false);
  });
});
