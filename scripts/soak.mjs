#!/usr/bin/env node
// Memory soak (`npm run soak`): resident memory growth, after warm-up, over
//   1. N fit steps of the W2 model (784-512-256-10 MLP, Adam, batch 128, synthetic MNIST-shaped data),
//   2. N predict calls (32 samples each),
//   3. N/10 cycles of create a W2 model → save → loadModel → predict,
//   4. N fit steps of the W2 model with a dropout layer and one-hot targets: a compiled step's replays.
// N is --steps (default 10,000); fit and predict first run a tenth of their length (or --warmup W) unmeasured as
// warm-up, the cycles W/2 (500 of them by default, half the measured 1,000): until glibc's malloc arenas have filled
// to their steady state. Freeing the first ~2 MB weight buffer raises glibc's dynamic mmap threshold to its size
// and the trim threshold to twice that, so from then on every arena (the main thread's, and those of V8's and
// libuv's worker threads) may keep up to ~4 MB of free memory before returning any; in a 5,000-cycle run that
// plateaus after ~500 cycles (+10 MB, then ~1 MB per 1,000 cycles), and with MALLOC_MMAP_THRESHOLD_=131072
// (fixed thresholds) it stays flat.
// Growth is RSS after a full GC at the end minus the same at the start of the measured part.
// RSS also moves with the allocators: V8 commits heap pages in steps, and glibc's adaptive mmap threshold
// keeps freed megabyte-sized buffers in its heap (run with MALLOC_MMAP_THRESHOLD_=131072 to rule that out);
// the JS-heap and external (typed-array) growth printed beside it are exact.
// Uses the built package (dist/; `npm run build` first). Options: --steps N, --warmup W, --max-growth-mb M
// (exit 1 if a phase's RSS grows more; default 5), --only fit,predict,cycles (a subset of the phases),
// --json (one JSON line on stdout, for the test), --quiet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const PHASES = ['fit', 'predict', 'cycles', 'replay'];
function parseArgs(argv) {
  const o = { steps: 10_000, warmup: undefined, maxGrowthMb: 5, json: false, quiet: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`soak: ${a} needs a positive number, got ${argv[i]}`);
      return v;
    };
    if (a === '--steps') o.steps = Math.round(value());
    else if (a === '--warmup') o.warmup = Math.round(value());
    else if (a === '--max-growth-mb') o.maxGrowthMb = value();
    else if (a === '--json') o.json = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--only') {
      o.only = String(argv[++i]).split(',');
      const bad = o.only.filter((p) => !PHASES.includes(p));
      if (bad.length) throw new Error(`soak: --only takes a list of ${PHASES.join(', ')}, got ${bad.join(', ')}`);
    } else
      throw new Error(
        `soak: unknown option ${a}; expected --steps N, --warmup W, --max-growth-mb M, --only PHASES, --json, --quiet`,
      );
  }
  return o;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
const log = (s) => opts.quiet || opts.json || process.stderr.write(`${s}\n`);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const MB = 2 ** 20;
/** RSS after full collections (twice, with a turn between: finalizers and freed backing stores settle). */
async function settled() {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage();
}

let tl;
try {
  tl = await import(new URL('../dist/index.mjs', import.meta.url).href);
} catch (err) {
  process.stderr.write(`soak: cannot load dist/index.mjs (${err.message}); run \`npm run build\` first\n`);
  process.exit(2);
}

function w2() {
  const m = tl.sequential();
  m.add(tl.layers.dense({ units: 512, inputShape: [784], activation: 'relu' }));
  m.add(tl.layers.dense({ units: 256, activation: 'relu' }));
  m.add(tl.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;

/**
 * Run `body(count)` for warm-up, then measure RSS across `body(count)` for the measured part, in two halves: a leak
 * grows in both, an allocator still filling its arenas mostly in the first.
 */
async function phase(name, warmCount, count, body) {
  const t0 = performance.now();
  await body(warmCount);
  const before = await settled();
  const t1 = performance.now();
  const half = Math.floor(count / 2);
  let peak = half > 0 ? await body(half) : 0;
  const middle = await settled();
  peak = Math.max(peak, await body(count - half));
  const after = await settled();
  const result = {
    phase: name,
    count,
    warmup: warmCount,
    rssBeforeMb: before.rss / MB,
    rssAfterMb: after.rss / MB,
    growthMb: (after.rss - before.rss) / MB,
    secondHalfGrowthMb: (after.rss - middle.rss) / MB,
    peakMb: Math.max(peak, after.rss) / MB,
    // Where growth would live: the JS heap (live objects), or typed-array and native memory.
    heapUsedGrowthMb: (after.heapUsed - before.heapUsed) / MB,
    externalGrowthMb: (after.external - before.external) / MB,
    msPerIteration: (performance.now() - t1) / count,
    warmupSeconds: (t1 - t0) / 1e3,
  };
  log(
    `${name.padEnd(22)} ${String(count).padStart(6)} × after ${warmCount} warm-up: RSS ${result.rssBeforeMb.toFixed(1)} → ${result.rssAfterMb.toFixed(1)} MB, ` +
      `growth ${signed(result.growthMb)} MB (second half ${signed(result.secondHalfGrowthMb)}; peak ${result.peakMb.toFixed(1)} MB; JS heap ${signed(result.heapUsedGrowthMb)}, external ${signed(result.externalGrowthMb)}), ` +
      `${result.msPerIteration.toFixed(2)} ms each`,
  );
  return result;
}

const steps = opts.steps;
const warmup = opts.warmup ?? Math.max(10, Math.round(steps / 10));
tl.setSeed(1);
log(
  `tensile ${typeof tl.version === 'function' ? tl.version() : tl.version}, backend ${tl.getBackend()}, ${tl.getNumThreads()} BLAS threads, node ${process.version}; N = ${steps}`,
);

// 1. fit: one model trained on, in fit calls that stop after exactly `count` batches.
const model = w2();
const x = tl.rand([1024, 784]);
const y = tl.tensor(Array.from({ length: 1024 }, (_, i) => i % 10));
const fitSteps = async (count) => {
  let done = 0;
  let peak = 0;
  const stop = {
    onBatchEnd: () => {
      if (++done >= count) model.stopTraining = true;
      if (done % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    },
  };
  await model.fit(x, y, { epochs: Math.ceil(count / 8), batchSize: 128, verbose: 0, callbacks: [stop] });
  return Math.max(peak, process.memoryUsage().rss);
};

// 4. replay: fit steps that replay a recorded plan (models/plan/compiled.ts) on buffers allocated once.
const dropoutModel = (() => {
  const m = tl.sequential();
  m.add(tl.layers.dense({ units: 512, inputShape: [784], activation: 'relu' }));
  m.add(tl.layers.dropout({ rate: 0.2 }));
  m.add(tl.layers.dense({ units: 256, activation: 'relu' }));
  m.add(tl.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
})();
const yOneHot = tl.utils.toCategorical(y, 10);
const replaySteps = async (count) => {
  let done = 0;
  let peak = 0;
  const stop = {
    onBatchEnd: () => {
      if (++done >= count) dropoutModel.stopTraining = true;
      if (done % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    },
  };
  await dropoutModel.fit(x, yOneHot, { epochs: Math.ceil(count / 8), batchSize: 128, verbose: 0, callbacks: [stop] });
  return Math.max(peak, process.memoryUsage().rss);
};

// 2. predict: small batches, the serving pattern.
const probe = tl.rand([32, 784]);
const predicts = async (count) => {
  let peak = 0;
  for (let i = 0; i < count; i++) {
    model.predict(probe).dataSync();
    if (i % 1000 === 0) {
      peak = Math.max(peak, process.memoryUsage().rss);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return Math.max(peak, process.memoryUsage().rss);
};

// 3. create → save → load → predict, into one folder rewritten each cycle.
const dir = mkdtempSync(join(tmpdir(), 'tensile-soak-'));
const cycles = async (count) => {
  let peak = 0;
  for (let i = 0; i < count; i++) {
    const m = w2();
    await m.save(`file://${dir}`);
    const loaded = await tl.loadModel(`file://${join(dir, 'model.json')}`);
    loaded.predict(probe).dataSync();
    if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  return Math.max(peak, process.memoryUsage().rss);
};

const results = [];
try {
  const run = (p) => !opts.only || opts.only.includes(p);
  if (run('fit')) results.push(await phase('fit steps (W2, b=128)', warmup, steps, fitSteps));
  if (run('predict')) results.push(await phase('predict calls (32)', warmup, steps, predicts));
  if (run('cycles'))
    results.push(
      await phase('create/save/load', Math.max(1, Math.round(warmup / 2)), Math.max(1, Math.round(steps / 10)), cycles),
    );
  if (run('replay')) results.push(await phase('replayed fit steps (W2 + dropout)', warmup, steps, replaySteps));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const failed = results.filter((r) => r.growthMb > opts.maxGrowthMb);
if (opts.json) process.stdout.write(`${JSON.stringify({ steps, maxGrowthMb: opts.maxGrowthMb, results })}\n`);
log(
  failed.length
    ? `FAIL: ${failed.map((r) => r.phase).join(', ')} grew more than ${opts.maxGrowthMb} MB`
    : `ok: every phase grew less than ${opts.maxGrowthMb} MB`,
);
process.exitCode = failed.length ? 1 : 0;
