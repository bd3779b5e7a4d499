// Run: node -r @swc-node/register bench/gateway/twiml-render.ts
// CPU per TwiML document: renderTwiml (writes the XML itself) against the twilio SDK's VoiceResponse builder, on the
// bench flow's step answer (a say, then a gather with a say), in alternating rounds in this one process.
import { cpuUsage } from 'node:process';
import twilio from 'twilio';
import { renderTwiml, type Instruction } from '@ringflow/flow';

const url = 'https://ivr.ringflow.test/twilio/voice/step/ce606bc4-a48b-45d3-ab70-bd1d1004fddb/CA083ca8d12365003c490b460170e0e734?node=menu&s=21';
const instructions: Instruction[] = [
  { kind: 'say', text: 'Your balance is 42.10 dollars.' },
  { kind: 'gather', numDigits: 1, finishOnKey: '', timeoutSeconds: 5, resume: { nodeId: 'menu' }, prompts: [{ kind: 'say', text: 'For your balance, press 1. To hang up, press 9.' }] },
];
const ctx = { resumeUrl: () => url, waitUrl: () => url };

function builder(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say({}, 'Your balance is 42.10 dollars.');
  const gather = response.gather({ input: ['dtmf'], action: url, method: 'POST', actionOnEmptyResult: true, numDigits: 1, finishOnKey: '', timeout: 5 });
  gather.say({}, 'For your balance, press 1. To hang up, press 9.');
  return response.toString();
}
const own = () => renderTwiml(instructions, ctx);
if (own() !== builder()) throw new Error('the two renderings differ');

function cpuPerCall(render: () => string, n: number): number {
  const before = cpuUsage();
  let length = 0;
  for (let i = 0; i < n; i++) length += render().length;
  const used = cpuUsage(before);
  if (length === 0) throw new Error('nothing rendered');
  return (used.user + used.system) / n;
}

const n = 20_000;
for (let round = 0; round < 4; round++) {
  // Which goes first alternates, so neither always runs just after the other's garbage.
  const [builderUs, ownUs] = round % 2 === 0
    ? [cpuPerCall(builder, n), cpuPerCall(own, n)]
    : [cpuPerCall(own, n), cpuPerCall(builder, n)].reverse();
  console.log(`round ${round + 1}: twilio builder ${builderUs.toFixed(1)} µs CPU/document, renderTwiml ${ownUs.toFixed(1)} µs (${((100 * ownUs) / builderUs).toFixed(0)} %)`);
}
