// fitDataset streams: a CSV five times larger than the child's --max-old-space-size goes through one epoch while RSS
// stays flat. Each sample follows a full collection (the child says why). The child pins glibc's mmap threshold as the soak test does (soak.test.ts says why), so RSS measures what
// is kept, not what the allocator holds on to.
import { execFile } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { distUrl } from './dist.js';

const CHILD = fileURLToPath(new URL('./fixtures/fit-dataset-stream.mjs', import.meta.url));
const HEAP_LIMIT_MB = 32;
const FILE_MB = 160;
const file = join(tmpdir(), `tensile-fit-dataset-${process.pid}.csv`);
afterAll(() => rmSync(file, { force: true }));

/** ~FILE_MB of rows: 32 features in [-1, 1) and a label, 1 where the features' alternating sum is positive. */
async function writeCsv(): Promise<number> {
  let s = 1;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const rows: string[] = [];
  for (let r = 0; r < 4096; r++) {
    const x = Array.from({ length: 32 }, rand);
    const label = x.reduce((a, v, i) => a + (i % 2 ? -v : v), 0) > 0 ? 1 : 0;
    rows.push(`${x.map((v) => v.toFixed(4)).join(',')},${label}`);
  }
  const block = `${rows.join('\n')}\n`;
  const out = createWriteStream(file);
  out.write(`${Array.from({ length: 32 }, (_, i) => `x${i}`).join(',')},label\n`);
  let blocks = 0;
  for (let written = 0; written < FILE_MB * 2 ** 20; written += block.length, blocks++)
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return blocks * rows.length;
}

it(`fitDataset streams a ${FILE_MB} MB CSV under a ${HEAP_LIMIT_MB} MB heap limit with flat RSS`, async () => {
  const [url, rows] = await Promise.all([distUrl(), writeCsv()]);
  const fileMb = statSync(file).size / 2 ** 20;
  const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', `--max-old-space-size=${HEAP_LIMIT_MB}`, CHILD, url, file],
    { env, maxBuffer: 1 << 24 },
  );
  const r = JSON.parse(stdout) as {
    samples: { batch: number; rssMb: number; heapMb: number }[];
    batches: number;
    seconds: number;
    heapLimitMb: number;
    loss: number;
    accuracy: number;
    skipped: number;
  };
  const after = r.samples.slice(Math.floor(r.samples.length / 10)); // from 10% of the epoch on: warmed up
  const rss = after.map((m) => m.rssMb);
  const growth = rss[rss.length - 1] - rss[0];
  console.log(
    `file ${fileMb.toFixed(0)} MB, heap limit ${r.heapLimitMb.toFixed(0)} MB, ${r.batches} batches in ${r.seconds.toFixed(1)} s; ` +
      `RSS ${Math.min(...rss).toFixed(1)}-${Math.max(...rss).toFixed(1)} MB (growth ${growth.toFixed(1)} MB), heap max ${Math.max(...after.map((m) => m.heapMb)).toFixed(1)} MB; ` +
      `loss ${r.loss.toFixed(3)}, accuracy ${r.accuracy.toFixed(3)}`,
  );
  expect(fileMb).toBeGreaterThan(4 * HEAP_LIMIT_MB); // V8's whole heap limit (old + young space) is printed above
  expect(r.batches).toBe(Math.ceil(rows / 512)); // every row was read
  expect(r.skipped).toBe(0);
  // Flat: the second half of the epoch peaks no higher than the first (a leak grows through both halves); the allocator
  // may swing within a few MB as batches come and go.
  const half = Math.floor(rss.length / 2);
  expect(Math.max(...rss.slice(half)) - Math.max(...rss.slice(0, half))).toBeLessThan(4);
  expect(Math.max(...rss) - Math.min(...rss)).toBeLessThan(16);
  expect(Math.max(...rss)).toBeLessThan(0.75 * fileMb); // the process (about 90 MB with the addon) never holds the file
  expect(r.accuracy).toBeGreaterThan(0.9); // it learned: the label is a linear function of the features
}, 120_000);
