import { contactsFromCsv } from '../contact-csv';

describe('contacts from CSV', () => {
  it('reads the header case-blind, with aliases, a BOM, quoted commas and blank lines', () => {
    const csv = '\uFEFFNumber,NAME,tz,notes\n"+1 415 555 0101","Doe, Jane",America/New_York,vip\n\n+442079460018,,,\n';
    expect(contactsFromCsv(csv)).toEqual([
      { phone: '+1 415 555 0101', name: 'Doe, Jane', timeZone: 'America/New_York', attributes: { notes: 'vip' } },
      { phone: '+442079460018', name: undefined, timeZone: undefined },
    ]);
  });

  it('reads every other named column as an attribute of that name, leaving out empty cells', () => {
    const csv = 'phone,tier,Favourite_drink,,store-id\n+14155550101,gold,flat white,x,12\n+14155550102,,,,\n';
    expect(contactsFromCsv(csv)).toEqual([
      { phone: '+14155550101', name: undefined, timeZone: undefined, attributes: { tier: 'gold', Favourite_drink: 'flat white', 'store-id': '12' } },
      { phone: '+14155550102', name: undefined, timeZone: undefined },
    ]);
  });

  it('refuses a column that cannot name an attribute, or one named twice, naming csv and the column', () => {
    expect(() => contactsFromCsv('phone,loyalty tier\n+14155550101,gold')).toThrow(expect.objectContaining({
      field: 'csv', message: 'csv: column "loyalty tier" is not an attribute name (a letter, then up to 63 letters, digits, "_" or "-")',
    }));
    expect(() => contactsFromCsv('phone,tier,tier\n+14155550101,a,b')).toThrow(expect.objectContaining({ field: 'csv', message: 'csv: column "tier" appears twice' }));
  });

  it('keeps a short row as a row (its missing phone is reported for that row later)', () => {
    expect(contactsFromCsv('name,phone\nAnn')).toEqual([{ phone: '', name: 'Ann', timeZone: undefined }]);
  });

  it('refuses text that is not CSV, and a header without a phone column, naming csv', () => {
    expect(() => contactsFromCsv('phone\n"+1415')).toThrow(expect.objectContaining({ field: 'csv', message: expect.stringMatching(/^csv could not be read/) }));
    expect(() => contactsFromCsv('name\nAnn')).toThrow(expect.objectContaining({ field: 'csv', message: 'csv: the header row must name a phone column' }));
  });
});
