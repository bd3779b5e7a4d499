export { createSimulator, startSimulator, type Simulator, type SimulatorOptions } from './simulator';
export type { PartyScript, PartyScriptInput, Press } from './voice/party-script';
export type { TranscriptEvent } from './voice/transcript';
export { ScenarioRunner, type ScenarioResult, type StepResult } from './scenario/scenario-runner';
export { loadScenarioFile, parseScenario } from './scenario/scenario-loader';
export type { Scenario, ScenarioStep } from './scenario/scenario.schema';
export { formatScenarioResult } from './scenario/transcript-format';
export { SimControlClient } from './scenario/sim-control.client';
export { runScenariosCli } from './cli/run-scenarios.cli';
