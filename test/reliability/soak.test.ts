// A bounded run of scripts/soak.mjs (`npm run soak` runs 10,000 steps): after warm-up, neither fit steps,
// predict calls nor create/save/load cycles may keep memory. The child runs with glibc's mmap threshold pinned
// (MALLOC_MMAP_THRESHOLD_): by default glibc raises it after the first large free, and from then on every arena keeps
// freed megabytes, which moved RSS by up to 24 MB on these short runs without any leak; pinned, RSS moves by
// 0.1–0.3 MB here, so 8 MB catches a leak of 27 KB a step (one W2 batch of inputs is 400 KB). The JS heap and
// typed-array memory are exact.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { distUrl } from './dist.js';

const SOAK = fileURLToPath(new URL('../../scripts/soak.mjs', import.meta.url));

interface PhaseResult {
  phase: string;
  count: number;
  growthMb: number;
  heapUsedGrowthMb: number;
  externalGrowthMb: number;
}

it('keeps no memory across 300 fit steps, 300 predicts and 30 create/save/load cycles', async () => {
  await distUrl();
  const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' };
  const { stdout } = await promisify(execFile)(process.execPath, [SOAK, '--steps', '300', '--warmup', '100', '--json', '--max-growth-mb', '1000'], { env });
  const { results } = JSON.parse(stdout) as { results: PhaseResult[] };
  console.log(results.map((r) => `${r.phase}: RSS ${r.growthMb.toFixed(2)} MB, heap ${r.heapUsedGrowthMb.toFixed(2)} MB, external ${r.externalGrowthMb.toFixed(2)} MB`).join('\n'));
  expect(results.map((r) => r.count)).toEqual([300, 300, 30]);
  for (const r of results) {
    expect(r.growthMb, r.phase).toBeLessThan(8);
    expect(r.heapUsedGrowthMb, r.phase).toBeLessThan(2);
    expect(r.externalGrowthMb, r.phase).toBeLessThan(2);
  }
}, 90_000);
