import type { RenderContext } from '@ringflow/flow';

/**
 * The gateway's own callback URLs for one call. Each carries the tenant and call in its path and the
 * step sequence it answers (`s`), so a repeated or stale callback is told apart from a new one.
 */
export function voiceUrls(publicBaseUrl: string, tenantId: string, callSid: string, seq: number): RenderContext {
  const base = `${publicBaseUrl}/twilio/voice`;
  return {
    resumeUrl: (resume) => `${base}/step/${tenantId}/${callSid}?node=${encodeURIComponent(resume.nodeId)}&s=${seq}`,
    waitUrl: () => `${base}/hold/${tenantId}/${callSid}?s=${seq}`,
  };
}
