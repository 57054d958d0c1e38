// Element-wise, reduction and softmax kernels: native (C++ across N-API) against the reference (TypeScript),
// per call at sizes 10 to 1M, the crossover sizes behind NATIVE_MIN in lib/backend/native/index.ts,
// and add + softmax throughput on 1M elements.
// Run: npx tsx bench/kernels.ts [--budget 60] (milliseconds per timed cell)
import { parseArgs } from 'node:util';
import type { Backend } from '../lib/backend/backend.js';
import { nativeAddon } from '../lib/backend/index.js';
import { NATIVE_MIN, nativeBackend } from '../lib/backend/native/index.js';
import { referenceBackend } from '../lib/backend/reference/index.js';
import { broadcastPlan } from '../lib/tensor/broadcast.js';

const { values: opts } = parseArgs({ options: { budget: { type: 'string', default: '60' } } });
const budgetMs = Number(opts.budget);

const addon = nativeAddon();
if (!addon) {
  console.log('the native addon did not load: nothing to compare');
  process.exit(0);
}
// The addon on every call (crossovers at 0), the dispatching native backend, and the reference.
const always = nativeBackend(addon, { unary: 0, binary: 0, reduce: 0, softmax: 0 });
const dispatching = nativeBackend(addon);
const reference = referenceBackend;

/** Seconds per call: the median of 5 samples, each as many calls as fit in budget/5 ms (after a warm-up of the same length). */
function perCall(f: () => void): number {
  let reps = 1;
  for (let t0 = performance.now(); performance.now() - t0 < budgetMs / 5; reps *= 2) for (let i = 0; i < reps; i++) f();
  const samples: number[] = [];
  for (let s = 0; s < 5; s++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    samples.push((performance.now() - t0) / 1e3 / reps);
  }
  return samples.sort((a, b) => a - b)[2];
}

const random = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 8 - 4);

interface Kernel {
  name: string;
  family: keyof typeof NATIVE_MIN;
  /** A call of kernel `k` on n elements (inputs allocated once per size). */
  setup(n: number): (k: Backend) => void;
}
const KERNELS: Kernel[] = [
  {
    name: 'add',
    family: 'binary',
    setup(n) {
      const a = random(n),
        b = random(n),
        out = new Float32Array(n),
        plan = broadcastPlan([n], [[n], [n]]);
      return (k) => k.binary('add', a, b, out, plan);
    },
  },
  {
    name: 'exp',
    family: 'unary',
    setup(n) {
      const x = random(n),
        out = new Float32Array(n);
      return (k) => k.unary('exp', x, out);
    },
  },
  {
    name: 'relu',
    family: 'unary',
    setup(n) {
      const x = random(n),
        out = new Float32Array(n);
      return (k) => k.unary('relu', x, out);
    },
  },
  {
    name: 'sum',
    family: 'reduce',
    setup(n) {
      const x = random(n),
        out = new Float32Array(1),
        d = { outer: 1, n, inner: 1 };
      return (k) => k.reduce('sum', x, out, d);
    },
  },
  {
    // Rows of 1000 (a single shorter row below 1000 elements).
    name: 'softmax',
    family: 'softmax',
    setup(n) {
      const cols = Math.min(n, 1000),
        rows = Math.ceil(n / cols),
        x = random(rows * cols),
        out = new Float32Array(rows * cols);
      return (k) => k.softmax(x, out, rows, cols, false);
    },
  },
];

const fmt = (s: number) =>
  s < 1e-6 ? `${(s * 1e9).toFixed(0)} ns` : s < 1e-3 ? `${(s * 1e6).toFixed(2)} µs` : `${(s * 1e3).toFixed(2)} ms`;
const pad = (s: string, w: number) => s.padStart(w);

console.log(
  `per call (median), native = addon on every call; dispatch = the native backend with NATIVE_MIN ${JSON.stringify(NATIVE_MIN)}`,
);
console.log(
  ['kernel', 'size', 'reference', 'native', 'dispatch', 'ref/native'].map((h, i) => pad(h, i === 0 ? 8 : 11)).join(''),
);
for (const kernel of KERNELS) {
  for (const n of [10, 100, 1_000, 10_000, 100_000, 1_000_000]) {
    const run = kernel.setup(n);
    const r = perCall(() => run(reference)),
      a = perCall(() => run(always)),
      d = perCall(() => run(dispatching));
    console.log(
      [
        pad(kernel.name, 8),
        pad(String(n), 11),
        pad(fmt(r), 11),
        pad(fmt(a), 11),
        pad(fmt(d), 11),
        pad((r / a).toFixed(2), 11),
      ].join(''),
    );
  }
}

// The smallest size (powers of two) from which native stays faster than the reference, per kernel.
console.log('\ncrossover: smallest n (power of 2) from which native beats the reference at n, 2n and 4n');
for (const kernel of [
  ...KERNELS,
  {
    name: 'sigmoid',
    family: 'unary',
    setup: (n: number) => {
      const x = random(n),
        o = new Float32Array(n);
      return (k: Backend) => k.unary('sigmoid', x, o);
    },
  } as Kernel,
]) {
  const faster: boolean[] = [];
  const sizes = Array.from({ length: 13 }, (_, i) => 2 ** i);
  for (const n of sizes) {
    const run = kernel.setup(n);
    faster.push(perCall(() => run(always)) < perCall(() => run(reference)));
  }
  const at = sizes.findIndex((_, i) => faster.slice(i, i + 3).every(Boolean));
  console.log(
    `  ${kernel.name.padEnd(8)} ${at < 0 ? `> ${sizes.at(-1)}` : sizes[at]}   (${kernel.family}; faster at ${sizes.filter((_, i) => faster[i]).join(' ')})`,
  );
}

console.log('\nthroughput on 1M elements (elements/s)');
for (const kernel of KERNELS.filter((k) => k.name === 'add' || k.name === 'softmax')) {
  const n = 1_000_000,
    run = kernel.setup(n);
  const r = n / perCall(() => run(reference)),
    a = n / perCall(() => run(always));
  console.log(
    `  ${kernel.name.padEnd(8)} reference ${(r / 1e6).toFixed(1)} M/s, native ${(a / 1e6).toFixed(1)} M/s (×${(a / r).toFixed(1)})`,
  );
}
