import fc from 'fast-check';
import { formatSerial, generateSerial, parseSerial, SERIAL_ALPHABET } from '@ringflow/campaign';
import { startAdminApi } from '../support/admin-api-harness';
import { type MerchantGateway, type Shop, startMerchantGateway } from '../merchant/support/merchant-harness';

/** Strings a person or a POS might type where a serial goes: near-serials, separators, look-alikes, junk. */
const serialish = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...SERIAL_ALPHABET, ...'-  oOiIlLuU‐—\t\n*$~='), minLength: 10, maxLength: 25 }),
  fc.constant(null).map(() => generateSerial()).chain((s) => fc.constantFrom(s, s.toLowerCase(), formatSerial(s), ` ${formatSerial(s)} `, s.slice(1), `${s}0`)),
);

describe('fuzzing serial input', () => {
  it('parseSerial never throws; what it calls valid is 15 alphabet symbols and survives formatting and case', () => {
    fc.assert(
      fc.property(serialish, (input) => {
        const parsed = parseSerial(input);
        expect(['valid', 'malformed', 'check-failed']).toContain(parsed.kind);
        if (parsed.kind === 'valid') {
          expect(parsed.serial).toMatch(new RegExp(`^[${SERIAL_ALPHABET}]{15}$`));
          expect(parseSerial(formatSerial(parsed.serial).toLowerCase())).toEqual(parsed);
        }
      }),
      { numRuns: 2000 },
    );
  });

  describe('into POST /api/v1/redemptions', () => {
    let g: MerchantGateway;
    let shop: Shop;
    beforeAll(async () => {
      // Limits raised so the fuzzing reaches the serial checks rather than the lockout (which has its own tests).
      g = await startMerchantGateway({ MERCHANT_REDEMPTIONS_PER_MINUTE: '100000', MERCHANT_TENANT_REDEMPTIONS_PER_MINUTE: '100000', MERCHANT_LOCKOUT_FAILURES: '100000' });
      shop = await g.shop('Fuzzed Cafe');
    });
    afterAll(() => g?.close());

    it('answers 200/404/409/410/422 with a coded error (400 for a body that is not JSON) for any serial and any body shape, never a 500', async () => {
      // What goes on the wire: JSON of a value, or raw text (which may not be JSON at all).
      const body: fc.Arbitrary<string> = fc.oneof(
        serialish.map((serial) => JSON.stringify({ serial })),
        fc.record({ serial: serialish, orderAmount: fc.oneof(fc.string({ maxLength: 12 }), fc.double(), fc.constant(null)), idempotencyKey: fc.string({ maxLength: 80 }) }, { requiredKeys: ['serial'] })
          .map((value) => JSON.stringify(value)),
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
        fc.string({ maxLength: 60 }),
      );
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const answer = await g.redeem(shop.merchantKey, b);
          seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
          // 400: a body that is not JSON at all (Fastify's parser); everything that parses gets the redemption contract's answers.
          expect([200, 400, 404, 409, 410, 422]).toContain(answer.status);
          if (answer.status !== 200 && answer.status !== 400) expect(typeof answer.body?.error?.code).toBe('string');
        }),
        { numRuns: 300 },
      );
      expect(seen.get(422)).toBeGreaterThan(10);
      // Found by this property: a NUL in the serial reached Postgres (which refuses it in text) and answered 500.
      expect(await g.redeem(shop.merchantKey, { serial: 'AB\u0000CD' })).toMatchObject({ status: 422, body: { error: { code: 'malformed', field: 'serial' } } });
      // A real serial still redeems once after all that.
      const coupon = await g.issue(shop);
      expect((await g.redeem(shop.merchantKey, { serial: formatSerial(coupon.serial) })).status).toBe(200);
    });
  });
});

const IMPORT = 'mutation($l: ID!, $csv: String) { importContacts(listId: $l, csv: $csv) { imported errors { row field message } } }';

/** CSV text: a header that may or may not name a phone column, rows of quoted/unquoted cells, stray quotes and separators. */
const cell = fc.oneof(
  fc.constantFrom('+14155550100', '+1 212 555 0199', '(415) 555-0101', 'Europe/Berlin', 'Moon/Base', '', '""', '"a,b"', '"unterminated', '=cmd|x', '\u0000', '😀'),
  fc.string({ maxLength: 12 }),
);
const header = fc.oneof(
  fc.shuffledSubarray(['name', 'timeZone', 'TZ', 'extra', ''], { minLength: 0 }).map((rest) => ['phone', ...rest]),
  fc.shuffledSubarray(['phone', 'Phone', 'name', 'timeZone', 'TZ', 'extra', ''], { minLength: 1 }),
);
const csvText = fc
  .tuple(header, fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom(',', ';', '\t'))
  .map(([h, rows, eol, sep]) => [h.join(sep), ...rows.map((r) => r.join(sep))].join(eol));

describe('fuzzing CSV text into contact import', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let marketer: string;
  let listId: string;
  beforeAll(async () => {
    api = await startAdminApi();
    const { adminKey } = await api.tenantWithAdmin('CSV Fuzz');
    marketer = (await api.keyFor(adminKey, 'MARKETER')).secret;
    listId = (await api.gql(marketer, 'mutation { createContactList(name: "Fuzz") { id } }')).data!.createContactList.id;
  });
  afterAll(() => api.close());

  it('answers per-row errors or a BAD_USER_INPUT naming csv, never an internal error', async () => {
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: csvText, weight: 4 }, { arbitrary: fc.string({ maxLength: 200 }), weight: 1 }), async (csv) => {
        const result = await api.gql(marketer, IMPORT, { l: listId, csv });
        expect(result.status).toBeLessThan(500);
        const code = result.errors?.[0]?.extensions?.code ?? 'OK';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(['OK', 'BAD_USER_INPUT']).toContain(code);
        if (code === 'BAD_USER_INPUT') expect(result.errors![0].extensions?.field).toBe('csv');
        if (code === 'OK') {
          for (const e of result.data!.importContacts.errors) expect(e).toEqual({ row: expect.any(Number), field: expect.any(String), message: expect.any(String) });
        }
      }),
      { numRuns: 150 },
    );
    expect(codes.get('OK')).toBeGreaterThan(5);
  });
});
