import type { PromptVerb } from '../twiml/voice-verbs';

/** Seconds assumed for audio the simulator cannot measure (a <Play> URL). */
export const PLAY_SECONDS = 5;

/** Roughly how long a prompt takes to hear: speech at ~2.5 words a second. */
export function promptSeconds(p: PromptVerb): number {
  const loops = Math.max(1, p.verb === 'Pause' ? 1 : p.loop);
  if (p.verb === 'Pause') return p.length;
  if (p.verb === 'Play') return PLAY_SECONDS * loops;
  const words = p.text.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.ceil(words / 2.5)) * loops;
}
