import { describe, expect, it } from 'vitest';
import type { MlpForwardLayer } from '../../lib/backend/backend.js';
import type { DENSE_ACTIVATIONS } from '../../lib/backend/kinds.js';
import { nativeBackend } from '../../lib/backend/native/index.js';
import { referenceBackend } from '../../lib/backend/reference/index.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { rng } from '../helpers/random.js';

function problem(
  seed: number,
  batch: number,
  sizes: number[],
  acts: (typeof DENSE_ACTIVATIONS)[number][],
  probs: boolean,
) {
  const r = rng(seed);
  const u = (n: number, s = 1) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * s);
  const layers: MlpForwardLayer[] = acts.map((act, i) => {
    const k = sizes[i],
      n = sizes[i + 1];
    const bias = i % 2 === 0;
    return {
      w: u(k * n, 1.5 / Math.sqrt(k)),
      b: bias ? u(n, 0.2) : new Float32Array(0),
      k,
      n,
      act,
    };
  });
  const cols = sizes[sizes.length - 1];
  const y = new Float32Array(batch * cols);
  for (let i = 0; i < batch; i++) {
    if (probs) y[i * cols + Math.floor(r() * cols)] = 1;
    else for (let j = 0; j < cols; j++) y[i * cols + j] = r();
  }
  return { x: u(batch * sizes[0], 2), y, layers };
}

// The dense stack's inference forward (Backend.mlpForward): native against the reference dense chain. One row
// through a large enough first pair of linear/relu layers takes the two-thread path (kernels/cpu/mlp.cc).
describe.skipIf(!nativeLoaded)('mlpForward: native against reference', () => {
  const native = nativeBackend(addon!);
  const stack = (seed: number, sizes: number[], acts: (typeof DENSE_ACTIVATIONS)[number][]) =>
    problem(seed, 1, sizes, acts, false).layers;
  const cases: [string, number, number[], (typeof DENSE_ACTIVATIONS)[number][]][] = [
    ['W6: one row, 784-512-256-10, the pair on two threads', 1, [784, 512, 256, 10], ['relu', 'relu', 'softmax']],
    [
      'one row, pair widths not multiples of 8 or 64, linear first',
      1,
      [300, 203, 129, 5],
      ['linear', 'relu', 'sigmoid'],
    ],
    ['one row, two layers: the pair is the whole stack', 1, [260, 300, 7], ['relu', 'linear']],
    ['one row, a tanh first layer (no pair)', 1, [400, 200, 3], ['tanh', 'softmax']],
    ['one row, small layers (one thread)', 1, [10, 10, 2], ['relu', 'softmax']],
    ['7 rows', 7, [13, 9, 4], ['tanh', 'linear']],
    ['a batch of 64 through W6', 64, [784, 512, 256, 10], ['relu', 'relu', 'softmax']],
  ];
  for (const [name, rows, sizes, acts] of cases)
    for (const threads of [1, 2])
      it(`${name}, ${threads} thread(s)`, () => {
        const before = addon!.getNumThreads();
        addon!.setNumThreads(threads);
        try {
          const layers = stack(rows * 31 + sizes[0], sizes, acts);
          const x = Float32Array.from({ length: rows * sizes[0] }, (_, i) => Math.sin(i * 0.37) * 2);
          const n = sizes[sizes.length - 1];
          const a = new Float32Array(rows * n).fill(NaN),
            b = new Float32Array(rows * n);
          const xBefore = x.slice();
          native.mlpForward(x, layers, rows, a);
          referenceBackend.mlpForward(x, layers, rows, b);
          expectAllClose(a, b, { rtol: 1e-4, atol: 1e-5 });
          expect(x).toEqual(xBefore);
        } finally {
          addon!.setNumThreads(before);
        }
      });

  it('gives the same outputs on one and on two threads, call after call', () => {
    const layers = stack(9, [784, 512, 256, 10], ['relu', 'relu', 'softmax']);
    const x = Float32Array.from({ length: 784 }, (_, i) => Math.cos(i));
    const before = addon!.getNumThreads();
    const outs: Float32Array[] = [];
    try {
      for (const threads of [2, 1, 2]) {
        addon!.setNumThreads(threads);
        for (let r = 0; r < 20; r++) {
          const o = new Float32Array(10);
          native.mlpForward(x, layers, 1, o);
          outs.push(o);
        }
      }
    } finally {
      addon!.setNumThreads(before);
    }
    for (const o of outs.slice(0, 20).concat(outs.slice(40))) expect(o).toEqual(outs[0]); // two threads: the same bits every call
    expectAllClose(outs[20], outs[0], { rtol: 1e-5, atol: 1e-7 });
  });

  it('propagates NaN and Inf from the input and the weights', () => {
    const layers = stack(10, [300, 256, 4], ['relu', 'linear']);
    const x = Float32Array.from({ length: 300 }, () => 0.5);
    x[17] = NaN;
    const a = new Float32Array(4),
      b = new Float32Array(4);
    native.mlpForward(x, layers, 1, a);
    referenceBackend.mlpForward(x, layers, 1, b);
    expect(Array.from(a).map(Number.isNaN)).toEqual(Array.from(b).map(Number.isNaN));
    expect(a.some(Number.isNaN)).toBe(true);
    x[17] = 0.5;
    layers[1].w[3] = Infinity;
    native.mlpForward(x, layers, 1, a);
    referenceBackend.mlpForward(x, layers, 1, b);
    expect(Array.from(a)).toEqual(Array.from(b).map((v, i) => (Number.isFinite(v) ? a[i] : v)));
  });

  it('writes nothing for zero rows', () => {
    const layers = stack(11, [5, 3], ['relu']);
    expect(() => native.mlpForward(new Float32Array(0), layers, 0, new Float32Array(0))).not.toThrow();
  });
});
