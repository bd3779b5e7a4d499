import type { CallExpectation } from './scenario.schema';
import type { SimCallView } from './sim-control.client';

/** What a finished call got wrong against its expectation; empty when it is right. */
export function checkCall(call: SimCallView, expected: CallExpectation): string[] {
  const problems: string[] = [];
  const heard = call.heard.map((h) => h.toLowerCase());
  let from = 0;
  for (const phrase of expected.heard) {
    const at = heard.findIndex((h, i) => i >= from && h.includes(phrase.toLowerCase()));
    if (at < 0) {
      const earlier = heard.slice(0, from).some((h) => h.includes(phrase.toLowerCase()));
      problems.push(`expected to hear "${phrase}"${earlier ? ' later than it was heard' : ''}, but the caller heard: ${JSON.stringify(call.heard)}`);
    } else {
      from = at + 1;
    }
  }
  for (const phrase of expected.notHeard) {
    if (heard.some((h) => h.includes(phrase.toLowerCase()))) problems.push(`expected not to hear "${phrase}"`);
  }
  if (call.status !== expected.status) problems.push(`expected the call to end ${expected.status}, it ended ${call.status}`);
  if (expected.answeredBy !== undefined && call.answeredBy !== expected.answeredBy) {
    problems.push(`expected AnsweredBy ${expected.answeredBy}, got ${call.answeredBy ?? 'none'}`);
  }
  if (expected.failure === false && call.failure) problems.push(`the call failed: ${call.failure}`);
  if (typeof expected.failure === 'string' && !(call.failure ?? '').includes(expected.failure)) {
    problems.push(`expected a failure mentioning "${expected.failure}", got ${call.failure ?? 'none'}`);
  }
  return problems;
}
