import { daytimeZone } from './daytime-zone';

describe('daytimeZone', () => {
  it('finds a zone between 09:00 and 20:00 at every hour of a day, winter and summer', () => {
    for (const base of ['2026-01-15T00:00:00Z', '2026-07-15T00:00:00Z']) {
      for (let h = 0; h < 24; h++) {
        const now = new Date(Date.parse(base) + h * 3_600_000 + 30 * 60_000);
        const zone = daytimeZone(now);
        const local = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(now));
        expect([now.toISOString(), local >= 9 && local < 20]).toEqual([now.toISOString(), true]);
      }
    }
  });
});
