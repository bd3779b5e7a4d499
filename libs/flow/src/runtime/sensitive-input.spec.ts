import { CallDriver, mustValidate } from '../../test-support/call-driver';
import { awaitsSensitiveInput } from './sensitive-input';

describe('awaitsSensitiveInput', () => {
  const flow = mustValidate({ schemaVersion: 1, name: 's', start: 'ext', nodes: {
    ext: { type: 'input', prompts: [{ kind: 'say', text: 'Extension?' }], maxDigits: 3, next: { valid: 'pin', 'no-input': 'z', invalid: 'z' } },
    pin: { type: 'input', prompts: [{ kind: 'say', text: 'PIN?' }], maxDigits: 4, sensitive: true, next: { valid: 'z', 'no-input': 'z', invalid: 'z' } },
    z: { type: 'hangup' },
  } });

  it('is true only while the call waits on a sensitive input', async () => {
    const call = new CallDriver(flow);
    expect(awaitsSensitiveInput(flow, call.state)).toBe(false);
    await call.start();
    expect(awaitsSensitiveInput(flow, call.state)).toBe(false);
    await call.press('123');
    expect(awaitsSensitiveInput(flow, call.state)).toBe(true);
    await call.press('4321');
    expect(awaitsSensitiveInput(flow, call.state)).toBe(false);
  });
});
