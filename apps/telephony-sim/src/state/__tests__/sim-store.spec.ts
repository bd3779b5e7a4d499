import { SimStore } from '../sim-store';
import type { SimMessage } from '../sim-types';

describe('SimStore retention', () => {
  it('forgets the oldest messages once past its limit, keeping the newest', () => {
    const store = new SimStore(10);
    for (let i = 0; i < 12; i++) {
      const m = { sid: `SM${i}`, body: `n${i}` } as SimMessage;
      store.messages.set(m.sid, m);
      store.events.emit('message-created', m);
    }
    expect([...store.messages.keys()]).toEqual(['SM2', 'SM3', 'SM4', 'SM5', 'SM6', 'SM7', 'SM8', 'SM9', 'SM10', 'SM11']);
  });
});
