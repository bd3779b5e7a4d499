import { contactZones, DEFAULT_WINDOW, localMinute, nextCallableAt } from '@ringflow/campaign';

const at = (iso: string) => new Date(iso);

describe('calling window', () => {
  it('reads local time in a zone', () => {
    expect(localMinute(at('2026-03-02T12:30:00Z'), 'Europe/Berlin')).toBe(13 * 60 + 30);
    expect(localMinute(at('2026-03-02T03:05:00Z'), 'America/New_York')).toBe(22 * 60 + 5);
  });

  it('is open now inside the window and opens at 08:00 local when too early or too late', () => {
    expect(nextCallableAt(at('2026-03-02T12:00:00Z'), ['Europe/Berlin'], DEFAULT_WINDOW)).toEqual(at('2026-03-02T12:00:00Z'));
    // 06:59:30 in Berlin -> 08:00 Berlin
    expect(nextCallableAt(at('2026-03-02T05:59:30Z'), ['Europe/Berlin'], DEFAULT_WINDOW)).toEqual(at('2026-03-02T07:00:00Z'));
    // 21:00 in Berlin is closed -> next morning 08:00
    expect(nextCallableAt(at('2026-03-02T20:00:00Z'), ['Europe/Berlin'], DEFAULT_WINDOW)).toEqual(at('2026-03-03T07:00:00Z'));
  });

  it('opens at 08:00 local across a daylight-saving change', () => {
    // The night Europe/Berlin springs forward (29 March 2026): 08:00 CEST is 06:00 UTC.
    expect(nextCallableAt(at('2026-03-28T21:00:00Z'), ['Europe/Berlin'], DEFAULT_WINDOW)).toEqual(at('2026-03-29T06:00:00Z'));
  });

  it('respects every zone of a country when the contact has none', () => {
    const zones = contactZones({ timeZone: null, phone: '+12025550143' }, 'Europe/Berlin');
    expect(zones).toEqual(expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu']));
    // 13:00 in New York is 07:00 in Honolulu: wait for Honolulu's 08:00 (18:00 UTC).
    expect(nextCallableAt(at('2026-03-02T18:00:00Z'), zones, DEFAULT_WINDOW)).toEqual(at('2026-03-02T18:00:00Z'));
    expect(nextCallableAt(at('2026-03-02T17:00:00Z'), zones, DEFAULT_WINDOW)).toEqual(at('2026-03-02T18:00:00Z'));
  });

  it("prefers the contact's own zone, then the number's country, then the tenant's", () => {
    expect(contactZones({ timeZone: 'Asia/Tokyo', phone: '+4930123456' }, 'UTC')).toEqual(['Asia/Tokyo']);
    expect(contactZones({ timeZone: null, phone: '+442071838750' }, 'UTC')).toEqual(['Europe/London']);
    expect(contactZones({ timeZone: null, phone: '+8821234567' }, 'Europe/Paris')).toEqual(['Europe/Paris']);
  });

  it('says never when the zones share no open moment in a narrow window', () => {
    expect(nextCallableAt(at('2026-03-02T12:00:00Z'), ['Pacific/Kiritimati', 'Pacific/Pago_Pago'], { startMinute: 600, endMinute: 660 })).toBeNull();
  });
});
