import { type Principal, TenancyException } from '@ringflow/tenancy';

/** Analysts read figures, not people: phone numbers reach them masked, and they cannot search by one. */
export function seesPhones(principal: Principal): boolean {
  return principal.kind === 'operator' || principal.role !== 'analyst';
}

/** `+14155550100` as `+1415*****00` for a caller who may not see phone numbers. */
export function phoneFor(principal: Principal, phone: string): string {
  if (seesPhones(principal)) return phone;
  return phone.length <= 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 5)}${'*'.repeat(phone.length - 7)}${phone.slice(-2)}`;
}

export function assertMaySearchByPhone(principal: Principal): void {
  if (!seesPhones(principal)) throw new TenancyException('forbidden', 'an analyst key may not search by phone number', 'phone');
}
