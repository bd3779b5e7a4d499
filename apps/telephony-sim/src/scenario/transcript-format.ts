import type { ScenarioResult } from './scenario-runner';

const MARK = { passed: '✓', failed: '✗', 'not run': '-' } as const;

/** A scenario's result as a person reads it: each step, its transcript, and what went wrong. */
export function formatScenarioResult(result: ScenarioResult): string {
  const out = [`${result.passed ? 'PASS' : 'FAIL'}  ${result.name}  (${result.durationMs} ms)`];
  result.steps.forEach((step, i) => {
    out.push(`  ${MARK[step.status]} ${i + 1}. ${step.title}`);
    for (const line of step.lines) out.push(`        ${line}`);
    for (const problem of step.problems) out.push(`      ! ${problem}`);
  });
  return out.join('\n');
}
