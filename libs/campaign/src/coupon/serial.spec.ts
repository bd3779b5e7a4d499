import { SERIAL_ALPHABET, SERIAL_LENGTH, checkValue, formatSerial, generateSerial, parseSerial } from './serial';

const sample = Array.from({ length: 300 }, generateSerial);

describe('serial codec', () => {
  it('generates 15 Crockford symbols (no I, L, O, U) that parse back as valid', () => {
    for (const serial of sample) {
      expect(serial).toMatch(/^[0-9A-HJKMNP-TV-Z]{15}$/);
      expect(parseSerial(serial)).toEqual({ kind: 'valid', serial });
    }
  });

  it('draws 70 random bits: 50,000 serials are all distinct and every symbol occurs at every random position', () => {
    const serials = Array.from({ length: 50_000 }, generateSerial);
    expect(new Set(serials).size).toBe(serials.length);
    for (let position = 0; position < SERIAL_LENGTH - 1; position++) {
      expect(new Set(serials.map((s) => s[position])).size).toBe(32);
    }
  });

  it('shows serials in groups of five', () => {
    expect(formatSerial('7KQ4M2XD9PHT3QR')).toBe('7KQ4M-2XD9P-HT3QR');
  });

  it('catches every single wrong character, in every position, exhaustively over the alphabet', () => {
    let tried = 0;
    const missed: string[] = [];
    for (const serial of sample) {
      for (let position = 0; position < serial.length; position++) {
        for (const symbol of SERIAL_ALPHABET) {
          if (symbol === serial[position]) continue;
          const typo = serial.slice(0, position) + symbol + serial.slice(position + 1);
          if (parseSerial(typo).kind !== 'check-failed') missed.push(typo);
          tried++;
        }
      }
    }
    expect(missed).toEqual([]);
    expect(tried).toBe(sample.length * SERIAL_LENGTH * 31);
  });

  it('catches every swap of two different neighbours, the check symbol included', () => {
    let tried = 0;
    const missed: string[] = [];
    for (const serial of sample) {
      for (let position = 0; position + 1 < serial.length; position++) {
        if (serial[position] === serial[position + 1]) continue;
        const swapped = serial.slice(0, position) + serial[position + 1] + serial[position] + serial.slice(position + 2);
        if (parseSerial(swapped).kind !== 'check-failed') missed.push(swapped);
        tried++;
      }
    }
    expect(missed).toEqual([]);
    expect(tried).toBeGreaterThan(sample.length * 13);
  });

  it('catches every neighbour swap for every pair of symbols at every position (not only the sampled ones)', () => {
    const missed: string[] = [];
    const base = [...sample[0]].map((symbol) => SERIAL_ALPHABET.indexOf(symbol)).slice(0, SERIAL_LENGTH - 1);
    for (let position = 0; position + 1 < base.length; position++) {
      for (let a = 0; a < 32; a++) {
        for (let b = 0; b < 32; b++) {
          if (a === b) continue;
          const values = [...base];
          values[position] = a;
          values[position + 1] = b;
          const swapped = [...values];
          swapped[position] = b;
          swapped[position + 1] = a;
          if (checkValue(values) === checkValue(swapped)) missed.push(`${position}:${a},${b}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  it('reads what a person types: any case, spaces, dashes, O for 0 and I or L for 1', () => {
    const serial = '7KQ4M2XD9PHT3QR';
    const check = SERIAL_ALPHABET[checkValue([...serial.slice(0, 14)].map((s) => SERIAL_ALPHABET.indexOf(s)))];
    const canonical = serial.slice(0, 14) + check;
    expect(parseSerial(` ${formatSerial(canonical).toLowerCase()} `)).toEqual({ kind: 'valid', serial: canonical });
    expect(parseSerial(canonical.slice(0, 5) + ' ' + canonical.slice(5))).toEqual({ kind: 'valid', serial: canonical });

    const withOnes = '1011' + canonical.slice(4, 14);
    const onesCheck = SERIAL_ALPHABET[checkValue([...withOnes].map((s) => SERIAL_ALPHABET.indexOf(s)))];
    const typedLoosely = ('lOiI' + canonical.slice(4, 14) + onesCheck).toLowerCase();
    expect(parseSerial(typedLoosely)).toEqual({ kind: 'valid', serial: withOnes + onesCheck });
  });

  it('calls the wrong length or a foreign character malformed, and a typo check-failed', () => {
    const serial = sample[0];
    expect(parseSerial(serial.slice(0, 14))).toMatchObject({ kind: 'malformed', reason: 'a serial has 15 characters, this has 14' });
    expect(parseSerial(serial + '0')).toMatchObject({ kind: 'malformed', reason: 'a serial has 15 characters, this has 16' });
    expect(parseSerial('')).toMatchObject({ kind: 'malformed' });
    expect(parseSerial(serial.slice(0, 3) + 'U' + serial.slice(4))).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('"U"') });
    expect(parseSerial(serial.slice(0, 3) + '*' + serial.slice(4))).toMatchObject({ kind: 'malformed' });
    const wrong = serial.slice(0, 14) + SERIAL_ALPHABET[(SERIAL_ALPHABET.indexOf(serial[14]) + 1) % 32];
    expect(parseSerial(wrong)).toEqual({ kind: 'check-failed', normalised: wrong });
  });
});
