import { campaignAnswerUrl, campaignCallRefOf, campaignStatusCallbackUrl } from '@ringflow/campaign';

const ref = { tenantId: '6c1f4c1e-3b1a-4a57-9d0e-1d2a3b4c5d6e', campaignId: '0b6f2f5e-7c1a-4b7e-8f3a-2d9c4e5f6a7b', attemptId: '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b' };

describe('campaign call URLs (the gateway contract)', () => {
  it('point at the gateway routes with ids only and read back the same ids', () => {
    const status = campaignStatusCallbackUrl('https://ivr.example.com/', ref);
    expect(status).toBe(`https://ivr.example.com/twilio/voice/status?tenantId=${ref.tenantId}&campaignId=${ref.campaignId}&attemptId=${ref.attemptId}`);
    expect(campaignCallRefOf(new URL(status).searchParams)).toEqual(ref);
    expect(new URL(campaignAnswerUrl('https://ivr.example.com', ref)).pathname).toBe('/twilio/voice');
  });

  it('is null for a request that is not a campaign call, or carries a malformed id', () => {
    expect(campaignCallRefOf(new URLSearchParams(''))).toBeNull();
    expect(campaignCallRefOf({ ...ref, attemptId: 'x' })).toBeNull();
  });
});
