/**
 * A time zone where it is now between 09:00 and 20:00, so a contact placed in it is inside any
 * calling window, whatever the hour the tests (or the demo) run at. The zones cover all 24 hours.
 */
export function daytimeZone(now = new Date()): string {
  const zones = ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Tokyo', 'Pacific/Auckland'];
  const hour = (zone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(now));
  const zone = zones.find((z) => hour(z) >= 9 && hour(z) < 20);
  if (!zone) throw new Error(`no daytime zone at ${now.toISOString()}`);
  return zone;
}
