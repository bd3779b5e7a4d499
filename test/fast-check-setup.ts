import fc from 'fast-check';

// Property and fuzz tests run with one fixed seed, so a run (and CI) is reproducible; a counterexample
// it finds is fixed and kept as a plain test. FUZZ_RANDOM=1 draws a new seed each run, to hunt for more.
if (process.env.FUZZ_RANDOM !== '1') fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261122) });
