import type { Instruction } from './instructions';
import type { FallbackConfig } from './step-io';

/** The tenant's fallback as instructions: the apology, then a transfer (without resume) or a hangup. */
export function fallbackInstructions(fallback: FallbackConfig): Instruction[] {
  const apology: Instruction = {
    kind: 'say', text: fallback.apology,
    ...(fallback.voice ? { voice: fallback.voice } : {}), ...(fallback.language ? { language: fallback.language } : {}),
  };
  if (fallback.then.kind === 'transfer') {
    return [apology, { kind: 'dial', number: fallback.then.number, timeoutSeconds: 30, record: false }, { kind: 'hangup' }];
  }
  return [apology, { kind: 'hangup' }];
}
