// Same seed, same weights, bit for bit: 100 Adam steps of the W2 model, three times in this process and
// in three separate processes (native backend, fixed BLAS thread count; see README "Reliability").
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { trainW2 } from './fixtures/w2.js';

const STEPS = 100;
const SEED = 7;
const CHILD = fileURLToPath(new URL('./fixtures/train-hash.ts', import.meta.url));

async function inChild(
  seed: number,
  steps: number,
  threads: number,
): Promise<{ hash: string; backend: string; threads: number }> {
  const env = { ...process.env, TENSILE_NUM_THREADS: String(threads), TENSILE_BACKEND: 'native' };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', CHILD, String(seed), String(steps)],
    { env },
  );
  return JSON.parse(stdout);
}

describe.skipIf(!nativeLoaded)('determinism on the native backend', () => {
  let inProcess = '';

  it('gives bit-identical weights after 100 steps in 3 runs in one process', async () => {
    tl.setBackend('native');
    const hashes = [await trainW2(SEED, STEPS), await trainW2(SEED, STEPS), await trainW2(SEED, STEPS)];
    expect(new Set(hashes).size).toBe(1);
    expect(await trainW2(SEED + 1, STEPS)).not.toBe(hashes[0]); // the seed does matter
    inProcess = hashes[0];
  });

  it('gives the same weights in 3 separate processes with the same thread count', async () => {
    const threads = tl.getNumThreads();
    const runs = await Promise.all([0, 1, 2].map(() => inChild(SEED, STEPS, threads)));
    for (const r of runs) expect(r).toEqual({ hash: runs[0].hash, backend: 'native', threads });
    if (inProcess) expect(runs[0].hash).toBe(inProcess);
  });
});
