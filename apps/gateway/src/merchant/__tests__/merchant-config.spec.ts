import { ConfigError } from '@ringflow/config';
import { loadMerchantSettings } from '../merchant.config';

describe('merchant settings', () => {
  it('defaults to a Secure cookie and the documented limits', () => {
    expect(loadMerchantSettings('https://ivr.example.com', {})).toEqual({
      MERCHANT_COOKIE_SECURE: true, MERCHANT_REDEMPTIONS_PER_MINUTE: 60, MERCHANT_TENANT_REDEMPTIONS_PER_MINUTE: 1200,
      MERCHANT_LOCKOUT_FAILURES: 10, MERCHANT_LOCKOUT_WINDOW_SECONDS: 900, MERCHANT_LOCKOUT_SECONDS: 900, MERCHANT_SIGN_IN_FAILURES: 10,
    });
  });

  it('turns the Secure cookie off only for a loopback http gateway', () => {
    expect(loadMerchantSettings('http://127.0.0.1:3000', { MERCHANT_COOKIE_SECURE: 'false' }).MERCHANT_COOKIE_SECURE).toBe(false);
    expect(loadMerchantSettings('http://localhost:3000', { MERCHANT_COOKIE_SECURE: 'false' }).MERCHANT_COOKIE_SECURE).toBe(false);
    for (const url of ['https://ivr.example.com', 'http://10.0.0.5:3000']) {
      expect(() => loadMerchantSettings(url, { MERCHANT_COOKIE_SECURE: 'false' })).toThrow(
        /MERCHANT_COOKIE_SECURE: may be false only when PUBLIC_BASE_URL is http:\/\/127\.0\.0\.1/,
      );
    }
  });

  it('names a malformed limit', () => {
    expect(() => loadMerchantSettings('https://ivr.example.com', { MERCHANT_LOCKOUT_FAILURES: 'many' })).toThrow(ConfigError);
    expect(() => loadMerchantSettings('https://ivr.example.com', { MERCHANT_LOCKOUT_FAILURES: '0' })).toThrow(/MERCHANT_LOCKOUT_FAILURES/);
  });
});
