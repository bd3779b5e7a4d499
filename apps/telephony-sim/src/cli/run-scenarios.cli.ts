import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../scenario/scenario-loader';
import { ScenarioRunner } from '../scenario/scenario-runner';
import { formatScenarioResult } from '../scenario/transcript-format';
import { startSimulator, type Simulator } from '../simulator';

const USAGE = `usage: run-scenarios [--sim URL] [--var name=value ...] <scenario.yaml|json> ...

Runs each scenario against the telephony simulator and prints its transcript.
  --sim URL     a running simulator (default: $TELEPHONY_SIM_URL, else one started here)
  --var k=v     replaces {{k}} in the scenario files (e.g. --var gateway=http://127.0.0.1:3000)
Exit code: 0 when every scenario passes, 1 when one fails, 2 on bad usage or files.`;

/** Runs scenario files and prints readable transcripts; returns the process exit code. */
export async function runScenariosCli(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { sim: { type: 'string' }, var: { type: 'string', multiple: true }, help: { type: 'boolean' } } });
  } catch (err) {
    print(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help || parsed.positionals.length === 0) {
    print(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const vars: Record<string, string> = {};
  for (const pair of parsed.values.var ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) {
      print(`--var expects name=value, got "${pair}"`);
      return 2;
    }
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  let scenarios;
  try {
    scenarios = parsed.positionals.map((file) => loadScenarioFile(file, vars));
  } catch (err) {
    print((err as Error).message);
    return 2;
  }
  let local: Simulator | null = null;
  const simUrl = parsed.values.sim ?? process.env.TELEPHONY_SIM_URL ?? (local = await startSimulator({ port: 0 })).url;
  try {
    let failed = 0;
    for (const scenario of scenarios) {
      const result = await new ScenarioRunner(simUrl).run(scenario);
      print(formatScenarioResult(result));
      if (!result.passed) failed++;
    }
    print(`${scenarios.length - failed} of ${scenarios.length} scenario(s) passed`);
    return failed ? 1 : 0;
  } finally {
    await local?.close();
  }
}

if (require.main === module) {
  runScenariosCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
