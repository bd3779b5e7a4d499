export { createSimulator, startSimulator, type Simulator, type SimulatorOptions } from './simulator';
export type { PartyScriptInput } from './voice/party-script';
export type { TranscriptEvent } from './voice/transcript';
