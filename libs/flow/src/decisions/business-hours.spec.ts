import { isOpen, type BusinessHours } from './business-hours';

const hours: BusinessHours = {
  timeZone: 'Europe/Paris',
  weekly: { mon: [{ open: '09:00', close: '12:00' }, { open: '14:00', close: '18:00' }], fri: [{ open: '22:00', close: '02:00' }] },
  holidays: ['2026-05-01'],
};

describe('isOpen', () => {
  it.each([
    ['2026-03-02T08:30:00Z', true, 'Monday 09:30 in Paris'],
    ['2026-03-02T07:59:00Z', false, 'Monday 08:59 in Paris'],
    ['2026-03-02T11:00:00Z', false, 'Monday lunch break'],
    ['2026-03-02T16:59:00Z', true, 'Monday 17:59'],
    ['2026-03-02T17:00:00Z', false, 'Monday 18:00 closing'],
    ['2026-03-03T10:00:00Z', false, 'Tuesday, no hours'],
    ['2026-03-06T22:30:00Z', true, 'Friday 23:30, overnight opening'],
    ['2026-03-07T00:30:00Z', true, 'Saturday 01:30, the Friday night opening'],
    ['2026-03-07T01:30:00Z', false, 'Saturday 02:30'],
    ['2026-07-06T07:30:00Z', true, 'Monday 09:30 summer time (UTC+2)'],
  ])('%s is open: %s (%s)', (instant, open) => {
    expect(isOpen(hours, new Date(instant))).toBe(open);
  });

  it('closes on a holiday in the local zone', () => {
    const mondayHoliday = { ...hours, holidays: ['2026-03-02'] };
    expect(isOpen(mondayHoliday, new Date('2026-03-02T08:30:00Z'))).toBe(false);
  });
});
