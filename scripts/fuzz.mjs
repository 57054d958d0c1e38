#!/usr/bin/env node
// The long fuzz run (issue 10): test/fuzz/*.fuzz.test.ts with FUZZ_RUNS cases per op, binding and layer factory,
// and as many model scenarios (default 2000).
// FUZZ_SEED picks another seed; FUZZ_COLLECT=1 lists every distinct finding instead of stopping at the first.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '2000' };
const r = spawnSync(process.execPath, [vitest, 'run', 'test/fuzz', '--testTimeout=600000', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
