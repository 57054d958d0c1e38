// The all-reduce cost of a W2 step (BENCH.md: 784-512-256-10, adam, batch 128 a rank) and its share of the step.
//   mpirun --allow-run-as-root -np 2 -x TENSILE_NUM_THREADS=1 node --import tsx bench/distributed/w2-allreduce.ts [--tcp-note]
// Prints, on rank 0: the median time of GradientBuckets.sum over MPI on W2's gradients (pack, all-reduce, unpack:
// what fit adds to a step), the median of the all-reduce alone, and the median step of fit({ distributed: true }).
import * as tl from '../../lib/index.js';
import { GradientBuckets } from '../../lib/distributed/buckets.js';

const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
const w = await tl.distributed.init();
const sizes = [784 * 512, 512, 512 * 256, 256, 256 * 10, 10];
const grads = sizes.map((n) => new Float32Array(n).fill(0.5));
const buckets = new GradientBuckets(sizes, (25 * 2 ** 20) / 4);
const flat = new Float32Array(sizes.reduce((a, b) => a + b, 0) + sizes.length);
const sum: number[] = [],
  bare: number[] = [],
  tiny: number[] = [];
const one = new Float32Array(1);
for (let i = 0; i < 60; i++) {
  await tl.distributed.barrier();
  let t = performance.now();
  await buckets.sum(grads, 0.5, (b) => tl.distributed.allreduce(b));
  sum.push(performance.now() - t);
  await tl.distributed.barrier();
  t = performance.now();
  await tl.distributed.allreduce(flat);
  bare.push(performance.now() - t);
  await tl.distributed.barrier();
  t = performance.now();
  await tl.distributed.allreduce(one);
  tiny.push(performance.now() - t);
}

tl.setSeed(1);
const n = 8192;
const x = tl.rand([n, 784]);
const y = tl.utils.toCategorical(tl.tensor(Array.from({ length: n }, (_, i) => i % 10)), 10);
const model = tl.sequential();
model.add(tl.layers.dense({ units: 512, inputShape: [784], activation: 'relu' }));
model.add(tl.layers.dense({ units: 256, activation: 'relu' }));
model.add(tl.layers.dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
const steps: number[] = [];
const perStep = {
  onBatchBegin() {
    this.t = performance.now();
  },
  onBatchEnd() {
    steps.push(performance.now() - this.t);
  },
  t: 0,
};
await model.fit(x, y, { epochs: 2, batchSize: 128, verbose: 0, distributed: true, callbacks: [perStep] });
if (w.rank === 0) {
  const s = median(steps.slice(steps.length / 2));
  console.log(`np=${w.size} ${w.library}: W2 gradients ${flat.length} floats in ${buckets.bucketCount} bucket(s)`);
  console.log(`all-reduce of 1 float (the thread hand-offs and MPI latency): median ${median(tiny).toFixed(2)} ms`);
  console.log(
    `all-reduce alone: median ${median(bare).toFixed(2)} ms; with packing (GradientBuckets.sum): ${median(sum).toFixed(2)} ms`,
  );
  console.log(
    `distributed fit step (batch 128 a rank, global ${128 * w.size}): median ${s.toFixed(2)} ms; all-reduce share ${((100 * median(sum)) / s).toFixed(0)}%`,
  );
}
