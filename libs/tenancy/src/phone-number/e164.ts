import { ParseError, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js/max';
import { TenancyException } from '../tenancy.exception';

const REASONS: Record<string, string> = {
  INVALID_COUNTRY: 'has no country code (write it as +<country code><number>)',
  NOT_A_NUMBER: 'is not a phone number',
  TOO_SHORT: 'is too short',
  TOO_LONG: 'is too long',
  INVALID_LENGTH: 'has an invalid length',
};

/** Normalises a phone number to E.164 with libphonenumber's full metadata; the error names the field and why. */
export function toE164(input: string, field = 'number', defaultCountry?: string): string {
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(input, defaultCountry ? { defaultCountry: defaultCountry as never } : undefined);
  } catch (error) {
    const reason = error instanceof ParseError ? REASONS[error.message] ?? error.message : 'is not a phone number';
    throw new TenancyException('invalid-input', `${field} "${input}" ${reason}`, field);
  }
  if (!parsed.isValid()) {
    const lengthProblem = validatePhoneNumberLength(input, defaultCountry ? { defaultCountry: defaultCountry as never } : undefined);
    if (lengthProblem) throw new TenancyException('invalid-input', `${field} "${input}" ${REASONS[lengthProblem] ?? 'has an invalid length'}`, field);
    throw new TenancyException('invalid-input', `${field} "${input}" is not a valid number in ${parsed.country ?? `+${parsed.countryCallingCode}`}`, field);
  }
  return parsed.number;
}
