/** What an agent's SMS asks for; `code` is the waiting caller's short code when the agent gave one. */
export type AgentReply =
  | { kind: 'accept'; code?: number }
  | { kind: 'decline'; code?: number }
  | { kind: 'away' }
  | { kind: 'back' }
  | { kind: 'unknown' };

const WORDS: Record<string, 'accept' | 'decline' | 'away' | 'back'> = {
  yes: 'accept', y: 'accept', ok: 'accept', no: 'decline', n: 'decline', pass: 'decline', away: 'away', back: 'back',
};

/** Reads `YES 4`, `no`, `Away`, `BACK` and the like (case, spaces and trailing punctuation do not matter). */
export function parseAgentReply(body: string): AgentReply {
  const match = /^\s*([a-z]+)\s*#?\s*(\d{1,4})?\s*[.!]*\s*$/i.exec(body);
  const kind = match ? WORDS[match[1].toLowerCase()] : undefined;
  if (!match || !kind) return { kind: 'unknown' };
  if (kind === 'away' || kind === 'back') return match[2] === undefined ? { kind } : { kind: 'unknown' };
  return match[2] === undefined ? { kind } : { kind, code: Number(match[2]) };
}
