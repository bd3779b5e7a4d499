import { dialExecutor, queueExecutor, voicemailExecutor, waitExecutor } from './call-executors';
import type { ExecutorMap } from './executor';
import { inputExecutor, menuExecutor } from './gather-executors';
import { httpExecutor } from './http-executor';
import { conditionExecutor, hoursExecutor, setExecutor, splitExecutor } from './logic-executors';
import { couponExecutor, emailExecutor, optOutExecutor, smsExecutor } from './message-executors';
import { gotoExecutor, hangupExecutor, pauseExecutor, playExecutor, sayExecutor } from './prompt-executors';

/** Node type -> executor; a new node type without an executor does not compile. */
export const executors: ExecutorMap = {
  say: sayExecutor,
  play: playExecutor,
  pause: pauseExecutor,
  menu: menuExecutor,
  input: inputExecutor,
  http: httpExecutor,
  condition: conditionExecutor,
  hours: hoursExecutor,
  set: setExecutor,
  split: splitExecutor,
  sms: smsExecutor,
  email: emailExecutor,
  coupon: couponExecutor,
  'opt-out': optOutExecutor,
  queue: queueExecutor,
  dial: dialExecutor,
  voicemail: voicemailExecutor,
  wait: waitExecutor,
  goto: gotoExecutor,
  hangup: hangupExecutor,
};
