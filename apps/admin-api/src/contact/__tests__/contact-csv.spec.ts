import { contactsFromCsv } from '../contact-csv';

describe('contacts from CSV', () => {
  it('reads the header case-blind, with aliases, a BOM, quoted commas and blank lines', () => {
    const csv = '\uFEFFNumber,NAME,tz,notes\n"+1 415 555 0101","Doe, Jane",America/New_York,vip\n\n+442079460018,,,\n';
    expect(contactsFromCsv(csv)).toEqual([
      { phone: '+1 415 555 0101', name: 'Doe, Jane', timeZone: 'America/New_York' },
      { phone: '+442079460018', name: undefined, timeZone: undefined },
    ]);
  });

  it('keeps a short row as a row (its missing phone is reported for that row later)', () => {
    expect(contactsFromCsv('name,phone\nAnn')).toEqual([{ phone: '', name: 'Ann', timeZone: undefined }]);
  });

  it('refuses text that is not CSV, and a header without a phone column, naming csv', () => {
    expect(() => contactsFromCsv('phone\n"+1415')).toThrow(expect.objectContaining({ field: 'csv', message: expect.stringMatching(/^csv could not be read/) }));
    expect(() => contactsFromCsv('name\nAnn')).toThrow(expect.objectContaining({ field: 'csv', message: 'csv: the header row must name a phone column' }));
  });
});
