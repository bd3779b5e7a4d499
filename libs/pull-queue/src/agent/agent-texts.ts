import type { WaitingCaller } from '../waiting/waiting-caller';

/** "Jane Doe (+15551230001)", or the number alone when no name is known. */
export function callerLabel(number: string, name: string | null | undefined): string {
  return name ? `${name} (${number})` : number;
}

/** The SMS texts agents get and the answers to their replies, in one place. */
export const agentTexts = {
  offer: (who: string, c: Pick<WaitingCaller, 'queue' | 'code'>) =>
    `${who} is waiting in ${c.queue}. Reply YES ${c.code} to take the call, NO ${c.code} to pass.`,
  connecting: (who: string) => `You have ${who}. We are calling your phone now.`,
  alreadyYours: (who: string) => `${who} is already yours.`,
  taken: (who: string) => `Too late: ${who} was taken by another agent.`,
  wentToVoicemail: (who: string) => `${who} was sent to voicemail.`,
  timedOut: (who: string) => `${who} waited too long and was sent to voicemail.`,
  hungUp: (who: string) => `${who} hung up before anyone answered.`,
  passed: (who: string, last: boolean) => `You passed on ${who}.${last ? ' Nobody took the call: it goes to voicemail.' : ''}`,
  unknownCode: (code: number) => `No caller has code ${code}. Reply YES <code> or NO <code> as your notice says.`,
  notYourQueue: (code: number) => `Caller ${code} is not waiting in one of your queues.`,
  nobodyWaiting: () => 'Nobody is waiting right now.',
  away: () => 'You are away: no caller notices until you reply BACK.',
  back: (waiting: string[]) =>
    waiting.length === 0 ? 'Welcome back: nobody is waiting right now.' : `Welcome back. Waiting now, first to answer first: ${waiting.join('; ')}.`,
  waitingLine: (who: string, code: number) => `${who}: YES ${code}`,
  help: () => 'Reply YES <code> to take a caller, NO <code> to pass, AWAY to pause notices, BACK to resume.',
  voicemail: (who: string, queue: string, url: string) => `${who} left a voicemail in ${queue}: ${url}`,
};
