import type { CampaignReconciliationService } from '@ringflow/campaign';
import type { TelephonyCredentials, TelephonyPort } from '@ringflow/telephony';
import type { TenantId } from '@ringflow/tenancy';

/**
 * The newest call Twilio lists to `to` from `from` since `since` that no attempt of the tenant holds yet, or null:
 * the call of an attempt whose answer never said whether it was placed.
 */
export async function findUnheldCall(
  telephony: TelephonyPort,
  reconciliation: Pick<CampaignReconciliationService, 'recordedCallSids'>,
  tenantId: TenantId,
  creds: TelephonyCredentials,
  call: { to: string; from: string; since: Date },
): Promise<string | null> {
  const calls = await telephony.listPlacedCalls(creds, call);
  const held = await reconciliation.recordedCallSids(tenantId, calls.map((c) => c.callSid));
  return calls.find((c) => !held.has(c.callSid))?.callSid ?? null;
}
