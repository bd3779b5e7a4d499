import { parseAgentReply } from './agent-reply';

describe('parseAgentReply', () => {
  it.each([
    ['YES 4', { kind: 'accept', code: 4 }],
    ['yes4', { kind: 'accept', code: 4 }],
    ['  Yes #12. ', { kind: 'accept', code: 12 }],
    ['yes', { kind: 'accept' }],
    ['NO 4', { kind: 'decline', code: 4 }],
    ['no!', { kind: 'decline' }],
    ['AWAY', { kind: 'away' }],
    ['back', { kind: 'back' }],
  ])('reads %j', (body, expected) => {
    expect(parseAgentReply(body)).toEqual(expected);
  });

  it.each(['', 'yes please', 'maybe 4', 'away 3', 'YES 4 5', 'STOP'])('does not guess at %j', (body) => {
    expect(parseAgentReply(body)).toEqual({ kind: 'unknown' });
  });
});
