import { describe, expect, it } from 'vitest';
import type { AdagradStep, AdamStep, RmspropStep, SgdStep, UpdateRule } from '../../lib/backend/backend.js';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, binaryCode, reduceCode, unaryCode } from '../../lib/backend/kinds.js';
import { nativeBackend } from '../../lib/backend/native/index.js';
import { RULE_LENGTH, encodeRule, updateBy } from '../../lib/backend/update-rule.js';
import { referenceBackend as ref } from '../../lib/backend/reference/index.js';
import { type BroadcastPlan, broadcastPlan } from '../../lib/tensor/broadcast.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { rng } from '../helpers/random.js';

// Every native kernel against the reference kernel (the oracle), per op code, over seeded shapes
// and values: size 0 and 1, broadcasting in every position, large magnitudes, NaN and ±Infinity.

type Shape = readonly number[];
const size = (s: Shape) => s.reduce((a, b) => a * b, 1);
const f64 = (xs: readonly number[]) => new Float64Array(xs);

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 3e38, -3e38, 1, -1];
type Kind = 'uniform' | 'wide' | 'huge' | 'extreme' | 'special';
const KINDS: Kind[] = ['uniform', 'wide', 'huge', 'extreme', 'special'];
const SCALE: Record<Kind, number> = { uniform: 1, wide: 100, huge: 1e4, extreme: 3e38, special: 10 };

/** n seeded values of a kind: uniform in ±1, ±100, ±1e4 (exp/softmax/sigmoid overflow), ±3e38, or mixed with specials. */
function values(n: number, seed: number, kind: Kind): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] =
      kind === 'special' && r() < 0.3 ? SPECIALS[Math.floor(r() * SPECIALS.length)] : (r() * 2 - 1) * SCALE[kind];
  }
  return out;
}

/** Zeros and ties sprinkled in (for comparisons, where's condition, max ties), about a quarter of entries. */
function withTies(x: Float32Array, seed: number): Float32Array {
  const r = rng(seed);
  for (let i = 0; i < x.length; i++) if (r() < 0.25) x[i] = r() < 0.5 ? 0 : x[Math.floor(r() * x.length)];
  return x;
}

/** The broadcast of shapes known to be compatible: per axis the non-1 size (0 wins over 1). */
function broadcastOut(...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    const ds = shapes.map((s) => s[i - (rank - s.length)] ?? 1);
    return ds.includes(0) ? 0 : Math.max(...ds);
  });
}

/** Seeded pairs of broadcast-compatible shapes, rank 0 to 4, each axis 1 in one operand, both, or neither, leading axes dropped. */
function randomPairs(count: number, seed: number): [Shape, Shape][] {
  const r = rng(seed);
  const pairs: [Shape, Shape][] = [];
  for (let c = 0; c < count; c++) {
    const rank = Math.floor(r() * 5);
    const full = Array.from({ length: rank }, () => 1 + Math.floor(r() * 5));
    const pick = () => {
      const s = full.map((d) => (r() < 0.35 ? 1 : d));
      return s.slice(Math.floor(r() * 2) === 0 ? 0 : Math.floor(r() * (rank + 1)));
    };
    pairs.push([pick(), pick()]);
  }
  return pairs;
}

const PAIRS: [Shape, Shape][] = [
  [[], []],
  [[1], [1]],
  [[0], [0]],
  [[0], [1]],
  [[1], [0]],
  [
    [3, 0],
    [3, 1],
  ],
  [[1], [7]],
  [[7], [1]],
  [[7], []],
  [[], [7]],
  [[7], [7]],
  [
    [4, 1],
    [1, 6],
  ],
  [
    [1, 6],
    [4, 1],
  ],
  [[4, 6], [6]],
  [[6], [4, 6]],
  [
    [4, 6],
    [4, 1],
  ],
  [
    [4, 1],
    [4, 6],
  ],
  [
    [2, 3, 4],
    [3, 1],
  ],
  [
    [2, 1, 4],
    [1, 3, 1],
  ],
  [
    [2, 1, 3, 1],
    [1, 4, 1, 5],
  ],
  [
    [3, 4, 5, 6],
    [3, 1, 5, 1],
  ],
  [
    [1, 4, 1, 6],
    [3, 1, 5, 1],
  ],
  [[1000], [1000]],
  [[1000], [1]],
  [[64, 65], [65]],
  [
    [64, 1],
    [64, 65],
  ],
  [
    [33, 1],
    [1, 31],
  ],
  [
    [2, 3, 4, 5],
    [2, 3, 4, 5],
  ],
  ...randomPairs(30, 7),
];

const planOf = (out: Shape, inputs: Shape[]): BroadcastPlan => broadcastPlan(out, inputs);

describe.skipIf(!nativeLoaded)('native kernels equal the reference', () => {
  const a = addon!;

  describe('unary', () => {
    const sizes = [0, 1, 7, 33, 1000, 4099];
    const cases = UNARY_OPS.flatMap((op) => KINDS.map((kind) => ({ op, kind })));
    it.each(cases)('$op on $kind values', ({ op, kind }) => {
      for (const n of sizes) {
        const x = values(n, n + 13, kind);
        const got = new Float32Array(n),
          want = new Float32Array(n);
        a.unaryF32(unaryCode[op], x, got);
        ref.unary(op, x, want);
        expectAllClose(got, want, { rtol: 1e-5, atol: 1e-6 });
      }
    });
    it('propagates NaN and ±Infinity and keeps the sign of zero like the reference', () => {
      const x = Float32Array.from(SPECIALS);
      for (const op of UNARY_OPS) {
        const got = new Float32Array(x.length),
          want = new Float32Array(x.length);
        a.unaryF32(unaryCode[op], x, got);
        ref.unary(op, x, want);
        for (let i = 0; i < x.length; i++) {
          if (Number.isNaN(want[i])) expect(got[i], `${op}(${x[i]})`).toBeNaN();
          else if (want[i] === 0 || !Number.isFinite(want[i]))
            expect(Object.is(got[i], want[i]), `${op}(${x[i]}) = ${got[i]}, expected ${want[i]}`).toBe(true);
        }
      }
    });
    // exp, sigmoid and tanh are vectorized polynomials (native/src/kernels/cpu/transcendental.h): hold them to ~2 ulp.
    it.each([
      ['exp', -110, 95],
      ['sigmoid', -110, 40],
      ['tanh', -12, 12],
      ['tanh', -0.7, 0.7],
    ] as const)('%s is within 2 ulp of the reference over [%d, %d], subnormals included', (op, lo, hi) => {
      const n = 200_003;
      const x = Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
      const got = new Float32Array(n),
        want = new Float32Array(n);
      a.unaryF32(unaryCode[op], x, got);
      ref.unary(op, x, want);
      expectAllClose(got, want, { rtol: 2.5e-7, atol: 3e-45 });
    });
  });

  describe('binary', () => {
    const cases = BINARY_OPS.flatMap((op) =>
      (['uniform', 'special', 'extreme'] as Kind[]).map((kind) => ({ op, kind })),
    );
    it.each(cases)('$op on $kind values over every broadcast pair', ({ op, kind }) => {
      PAIRS.forEach(([sa, sb], p) => {
        const out = broadcastOut(sa, sb);
        const plan = planOf(out, [sa, sb]);
        const x = withTies(values(size(sa), p * 3 + 1, kind), p);
        const y = withTies(values(size(sb), p * 3 + 2, kind), p + 1);
        if (op === 'pow' && kind === 'uniform') for (let i = 0; i < y.length; i++) y[i] = Math.round(y[i] * 6) / 2; // integer and half exponents
        const got = new Float32Array(size(out)),
          want = new Float32Array(size(out));
        a.binaryF32(binaryCode[op], x, y, got, f64(plan.shape), f64(plan.strides[0]), f64(plan.strides[1]));
        ref.binary(op, x, y, want, plan);
        expectAllClose(got, want, { rtol: 1e-6, atol: 0 });
      });
    });
    it('maximum/minimum propagate NaN; pow follows Math.pow where C differs', () => {
      const x = Float32Array.of(NaN, 1, 2, 1, -1, 1, NaN, 0, -0);
      const y = Float32Array.of(1, NaN, NaN, Infinity, -Infinity, NaN, 0, -0, 0);
      const plan = planOf([9], [[9], [9]]);
      for (const op of ['maximum', 'minimum', 'pow'] as const) {
        const got = new Float32Array(9),
          want = new Float32Array(9);
        a.binaryF32(binaryCode[op], x, y, got, f64(plan.shape), f64(plan.strides[0]), f64(plan.strides[1]));
        ref.binary(op, x, y, want, plan);
        for (let i = 0; i < 9; i++)
          expect(
            Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])),
            `${op}(${x[i]}, ${y[i]})`,
          ).toBe(true);
      }
    });
  });

  it.each(KINDS)('where on %s values over every broadcast triple', (kind) => {
    const triples: Shape[][] = [
      ...PAIRS.map(([s, t]) => [s, t, s]),
      ...PAIRS.map(([s, t]) => [t, s, []]),
      ...PAIRS.map(([s, t]) => [[1], t, s]),
    ];
    triples.forEach(([sc, sa, sb], p) => {
      const out = broadcastOut(sc, sa, sb);
      const plan = planOf(out, [sc, sa, sb]);
      const c = withTies(values(size(sc), p, 'special'), p); // zeros, NaN (selects a), ±0
      const x = values(size(sa), p + 1, kind),
        y = values(size(sb), p + 2, kind);
      const got = new Float32Array(size(out)),
        want = new Float32Array(size(out));
      a.whereF32(c, x, y, got, f64(plan.shape), f64(plan.strides[0]), f64(plan.strides[1]), f64(plan.strides[2]));
      ref.where(c, x, y, want, plan);
      expectAllClose(got, want, { rtol: 0, atol: 0 });
    });
  });

  it("broadcast over every pair (x broadcast to the pair's shape)", () => {
    PAIRS.forEach(([sx, sy], p) => {
      const out = broadcastOut(sx, sy);
      const plan = planOf(out, [sx]);
      const x = values(size(sx), p, 'special');
      const got = new Float32Array(size(out)),
        want = new Float32Array(size(out));
      a.broadcastF32(x, got, f64(plan.shape), f64(plan.strides[0]));
      ref.broadcast(x, want, plan);
      expectAllClose(got, want, { rtol: 0, atol: 0 });
    });
  });

  // [outer, n, inner]: empty axes, single elements, the inner == 1 and outer == 1 paths, and inner past one 256-column chunk.
  const DIMS: [number, number, number][] = [
    [1, 0, 1],
    [3, 0, 2],
    [0, 3, 2],
    [1, 1, 1],
    [1, 1000, 1],
    [1, 31, 1],
    [7, 33, 1],
    [1000, 3, 1],
    [1, 33, 7],
    [1, 7, 300],
    [3, 5, 300],
    [2, 1, 513],
    [5, 1, 1],
    [4, 64, 65],
    [2, 257, 3],
  ];
  describe('reduce and argmax', () => {
    const cases = REDUCE_OPS.flatMap((op) => KINDS.map((kind) => ({ op, kind })));
    it.each(cases)('$op on $kind values', ({ op, kind }) => {
      DIMS.forEach(([outer, n, inner], i) => {
        const x = withTies(values(outer * n * inner, i, kind), i);
        const got = new Float32Array(outer * inner),
          want = new Float32Array(outer * inner);
        a.reduceF32(reduceCode[op], x, got, outer, n, inner, false);
        ref.reduce(op, x, want, { outer, n, inner });
        expectAllClose(got, want, { rtol: op === 'sum' ? 1e-6 : 0, atol: op === 'sum' ? 1e-6 * SCALE[kind] : 0 });
      });
    });
    it.each(KINDS)('argmax on %s values', (kind) => {
      DIMS.forEach(([outer, n, inner], i) => {
        const x = withTies(values(outer * n * inner, i + 5, kind), i);
        const got = new Float32Array(outer * inner),
          want = new Float32Array(outer * inner);
        a.argmaxF32(x, got, outer, n, inner);
        ref.argmax(x, want, { outer, n, inner });
        expect([...got]).toEqual([...want]);
      });
    });
    it('max/min: NaN wins; of equal zeros the first is returned, as the reference; argmax picks the first NaN, else the first max', () => {
      const rows = [
        [-0, 0, -1],
        [0, -0, -1],
        [-1, -0, 0],
        [1, NaN, 2, NaN],
        [-Infinity, -Infinity],
        [3, 3, 1],
        [NaN],
        [2, Infinity, Infinity],
        [...Array(40).fill(-1), 0, -0],
        [...Array(40).fill(-1), -0, 0],
        [...Array(70).fill(5), NaN, 9],
        // the first zero in a later lane of the vectorized max than a second zero (lanes: index mod 32)
        [...Array(33).fill(-1), -0, ...Array(30).fill(-1), 0, ...Array(31).fill(-1)],
        [...Array(33).fill(1), 0, ...Array(30).fill(1), -0, ...Array(31).fill(1)],
      ];
      for (const row of rows) {
        const x = Float32Array.from(row),
          n = row.length;
        for (const op of ['max', 'min'] as const) {
          const got = new Float32Array(1),
            want = new Float32Array(1);
          a.reduceF32(reduceCode[op], x, got, 1, n, 1, false);
          ref.reduce(op, x, want, { outer: 1, n, inner: 1 });
          expect(
            Object.is(got[0], want[0]) || (Number.isNaN(got[0]) && Number.isNaN(want[0])),
            `${op} [${row}] = ${got[0]}`,
          ).toBe(true);
          // the same column-wise (inner > 1): x as [n, 2] with each value twice
          const x2 = Float32Array.from(row.flatMap((v) => [v, v])),
            got2 = new Float32Array(2),
            want2 = new Float32Array(2);
          a.reduceF32(reduceCode[op], x2, got2, 1, n, 2, false);
          ref.reduce(op, x2, want2, { outer: 1, n, inner: 2 });
          expect(Object.is(got2[0], want2[0]) || (Number.isNaN(got2[0]) && Number.isNaN(want2[0]))).toBe(true);
        }
        const got = new Float32Array(1),
          want = new Float32Array(1);
        a.argmaxF32(x, got, 1, n, 1);
        ref.argmax(x, want, { outer: 1, n, inner: 1 });
        expect(got[0], `argmax [${row}]`).toBe(want[0]);
      }
    });
  });

  describe('softmax', () => {
    const SIZES: [number, number][] = [
      [0, 5],
      [3, 0],
      [1, 1],
      [4, 7],
      [2, 1000],
      [100, 10],
      [5, 33],
    ];
    const cases = [false, true].flatMap((log) => KINDS.map((kind) => ({ log, kind })));
    it.each(cases)('log=$log on $kind values', ({ log, kind }) => {
      SIZES.forEach(([rows, cols], i) => {
        const x = values(rows * cols, i + 100, kind);
        const got = new Float32Array(rows * cols),
          want = new Float32Array(rows * cols);
        a.softmaxF32(x, got, rows, cols, log);
        ref.softmax(x, want, rows, cols, log);
        expectAllClose(got, want, { rtol: 1e-5, atol: 1e-6 });
      });
    });
    it.each([false, true])(
      'log=%s: a NaN or +Infinity makes its row NaN, a row of -Infinity is NaN, -Infinity entries get 0 (log: -Infinity)',
      (log) => {
        const x = Float32Array.of(
          1,
          NaN,
          2,
          1,
          Infinity,
          2,
          -Infinity,
          -Infinity,
          -Infinity,
          -Infinity,
          0,
          1,
          1e4,
          -1e4,
          3e38,
        );
        const got = new Float32Array(15),
          want = new Float32Array(15);
        a.softmaxF32(x, got, 5, 3, log);
        ref.softmax(x, want, 5, 3, log);
        expectAllClose(got, want, { rtol: 1e-5, atol: 1e-6 });
        expect(got.subarray(0, 9).every(Number.isNaN)).toBe(true);
      },
    );
  });

  describe('layout', () => {
    const permutations = (n: number): number[][] =>
      n === 0
        ? [[]]
        : permutations(n - 1).flatMap((p) =>
            Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
          );
    const SHAPES: Shape[] = [
      [],
      [1],
      [5],
      [0, 3],
      [2, 3],
      [67, 129],
      [1, 5],
      [5, 1],
      [2, 3, 4],
      [3, 1, 4],
      [3, 40, 50],
      [2, 3, 4, 5],
      [1, 3, 1, 5],
      [4, 0, 2, 3],
      [2, 33, 1, 35],
    ];
    it.each(SHAPES.map((shape) => ({ shape })))('transpose of $shape under every permutation', ({ shape }) => {
      const x = values(size(shape), shape.length, 'special');
      for (const perm of permutations(shape.length)) {
        const got = new Float32Array(x.length),
          want = new Float32Array(x.length);
        a.transposeF32(x, got, f64(shape), f64(perm));
        ref.transpose(x, want, shape, perm);
        expectAllClose(got, want, { rtol: 0, atol: 0 });
      }
    });
    const GATHERS: [number, number, number][] = [
      [5, 3, 0],
      [5, 0, 4],
      [1, 1, 1],
      [5, 7, 1],
      [10, 20, 7],
      [3, 100, 64],
      [0, 0, 3],
    ];
    it.each(GATHERS)(
      'gather and scatterAdd with %i rows, %i indices, rowSize %i (repeated indices)',
      (rows, count, rowSize) => {
        const r = rng(rows * 100 + count);
        const indices = Int32Array.from({ length: count }, () => Math.floor(r() * rows));
        const x = values(rows * rowSize, count, 'special');
        const got = new Float32Array(count * rowSize),
          want = new Float32Array(count * rowSize);
        a.gatherF32(x, indices, got, rowSize);
        ref.gather(x, indices, want, rowSize);
        expectAllClose(got, want, { rtol: 0, atol: 0 });
        const y = values(count * rowSize, rows, 'uniform');
        const acc = values(rows * rowSize, 3, 'uniform'),
          accRef = acc.slice();
        a.scatterAddF32(y, indices, acc, rowSize);
        ref.scatterAdd(y, indices, accRef, rowSize);
        expectAllClose(acc, accRef, { rtol: 0, atol: 0 });
      },
    );
  });

  describe('optimizer updates over 3 steps with random gradients', () => {
    // 100,003: split over the threads (kernels/cpu/optimizers.cc), in chunks of unequal length.
    const SIZES = [0, 1, 37, 1000, 100_003];
    /** Runs `step` 3 times on native and reference copies of the same buffers; all must agree after each step. */
    function threeSteps(
      n: number,
      buffers: number,
      step: (backend: 'native' | 'reference', bufs: Float32Array[], g: Float32Array, t: number) => void,
    ) {
      const init = Array.from({ length: buffers }, (_, k) => (k === 0 ? values(n, 1, 'uniform') : new Float32Array(n)));
      const nat = init.map((b) => b.slice()),
        rf = init.map((b) => b.slice());
      for (let t = 1; t <= 3; t++) {
        const g = values(n, 10 + t, t === 3 ? 'wide' : 'uniform');
        step('native', nat, g, t);
        step('reference', rf, g, t);
        nat.forEach((b, k) => expectAllClose(b, rf[k], { rtol: 1e-6, atol: 1e-7 }));
      }
    }
    it.each(SIZES.flatMap((n) => [0, 0.01].map((weightDecay) => ({ n, weightDecay }))))(
      'adam n=$n weightDecay=$weightDecay',
      ({ n, weightDecay }) => {
        threeSteps(n, 3, (b, [w, m, v], g, t) => {
          const h: AdamStep = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, t, weightDecay };
          if (b === 'native') a.adamUpdateF32(w, g, m, v, h.lr, h.beta1, h.beta2, h.epsilon, h.t, h.weightDecay);
          else ref.adamUpdate(w, g, m, v, h);
        });
      },
    );
    it.each(
      SIZES.flatMap((n) =>
        [
          [0, false],
          [0.9, false],
          [0.9, true],
        ].map(([momentum, nesterov]) => ({ n, momentum: momentum as number, nesterov: nesterov as boolean })),
      ),
    )('sgd n=$n momentum=$momentum nesterov=$nesterov', ({ n, momentum, nesterov }) => {
      threeSteps(n, 2, (b, [w, vel], g) => {
        const h: SgdStep = { lr: 0.1, momentum, nesterov };
        const v = momentum === 0 ? new Float32Array(0) : vel;
        if (b === 'native') a.sgdUpdateF32(w, g, v, h.lr, h.momentum, h.nesterov);
        else ref.sgdUpdate(w, g, v, h);
      });
    });
    it.each(
      SIZES.flatMap((n) =>
        [
          [0, false],
          [0.9, false],
          [0, true],
          [0.5, true],
        ].map(([momentum, centered]) => ({ n, momentum: momentum as number, centered: centered as boolean })),
      ),
    )('rmsprop n=$n momentum=$momentum centered=$centered', ({ n, momentum, centered }) => {
      threeSteps(n, 4, (b, [w, ms, mom, mg], g) => {
        const h: RmspropStep = { lr: 0.001, rho: 0.9, momentum, epsilon: 1e-7, centered };
        const momBuf = momentum > 0 ? mom : new Float32Array(0),
          mgBuf = centered ? mg : new Float32Array(0);
        if (b === 'native') a.rmspropUpdateF32(w, g, ms, momBuf, mgBuf, h.lr, h.rho, h.momentum, h.epsilon, h.centered);
        else ref.rmspropUpdate(w, g, ms, momBuf, mgBuf, h);
      });
    });
    it.each(SIZES)('adagrad n=%i', (n) => {
      threeSteps(n, 2, (b, [w, acc], g) => {
        const h: AdagradStep = { lr: 0.01, epsilon: 1e-7 };
        if (b === 'native') a.adagradUpdateF32(w, g, acc, h.lr, h.epsilon);
        else ref.adagradUpdate(w, g, acc, h);
      });
    });
    it("applyUpdate (the rule as numbers, read when it runs) gives the bits of the rule's own kernel", () => {
      const rules: UpdateRule[] = [
        { kind: 'adam', h: { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, t: 3, weightDecay: 0.01 } },
        { kind: 'sgd', h: { lr: 0.1, momentum: 0.9, nesterov: true } },
        { kind: 'sgd', h: { lr: 0.1, momentum: 0, nesterov: false } },
        { kind: 'rmsprop', h: { lr: 0.001, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true } },
        { kind: 'adagrad', h: { lr: 0.01, epsilon: 1e-7 } },
      ];
      const none = new Float32Array(0);
      for (const n of [1, 37, 100_003])
        for (const rule of rules) {
          const g = values(n, 3, 'wide');
          const start = [values(n, 1, 'uniform'), ...[0, 1, 2].map((k) => values(n, 5 + k, 'uniform').map(Math.abs))];
          const used = (s: number) =>
            rule.kind === 'adam'
              ? s < 2
              : rule.kind === 'sgd'
                ? s === 0 && rule.h.momentum !== 0
                : rule.kind === 'rmsprop'
                  ? true
                  : s === 0;
          const copy = () => start.map((b, k) => (k === 0 || used(k - 1) ? b.slice() : none));
          const code = encodeRule(rule, new Float64Array(RULE_LENGTH));
          const [nw, n0, n1, n2] = copy();
          a.applyUpdateF32(code, nw, g, n0, n1, n2);
          const [rw, r0, r1, r2] = copy();
          ref.applyUpdate(code, rw, g, r0, r1, r2);
          const [kw, k0, k1, k2] = copy();
          updateBy(nativeBackend(a), rule, kw, g, [k0, k1, k2]);
          const [fw, f0, f1, f2] = copy();
          updateBy(ref, rule, fw, g, [f0, f1, f2]);
          for (const [got, want] of [
            [
              [nw, n0, n1, n2],
              [kw, k0, k1, k2],
            ],
            [
              [rw, r0, r1, r2],
              [fw, f0, f1, f2],
            ],
          ])
            got.forEach((b, k) => expect(b, `${rule.kind} n=${n} buffer ${k}`).toEqual(want[k]));
        }
      const w = new Float32Array(4);
      const bad = (rule: Float64Array) => () => a.applyUpdateF32(rule, w, w.slice(), w.slice(), w.slice(), w.slice());
      expect(bad(new Float64Array(0))).toThrow(/applyUpdateF32: rule must not be empty/);
      expect(bad(new Float64Array(3))).toThrow(/applyUpdateF32: rule must be empty or hold 7 numbers/);
      expect(bad(Float64Array.of(9, 0.1, 0, 0, 0, 0, 0))).toThrow(/applyUpdateF32: rule\[0\] must be an update kind/);
      expect(bad(Float64Array.of(0, NaN, 0.9, 0.999, 1e-7, 1, 0))).toThrow(/applyUpdateF32: rule\[1\] is not finite/);
      const adam = encodeRule(rules[0], new Float64Array(RULE_LENGTH));
      expect(() => a.applyUpdateF32(adam, w, w.slice(), new Float32Array(0), w.slice(), none)).toThrow(
        /applyUpdateF32: .*slot0/,
      );
    });
    it('a large update gives the same bits on 1, 2 and 3 threads', () => {
      const n = 100_003,
        before = a.getNumThreads();
      const runs = [1, 2, 3].map((threads) => {
        a.setNumThreads(threads);
        const [w, m, v] = [values(n, 1, 'uniform'), new Float32Array(n), new Float32Array(n)];
        for (let t = 1; t <= 3; t++)
          a.adamUpdateF32(w, values(n, 10 + t, 'wide'), m, v, 0.01, 0.9, 0.999, 1e-7, t, 0.01);
        return [w, m, v];
      });
      a.setNumThreads(before);
      for (const run of runs.slice(1)) run.forEach((buf, k) => expect(buf).toEqual(runs[0][k]));
    });
  });

  // The adapter sends small tensors to the reference and large ones to the addon: both sides of each crossover agree.
  it('the native backend agrees with the reference on both sides of its size crossovers', () => {
    const nb = nativeBackend(a);
    for (const n of [1, 10, 100, 1000, 10_000, 100_000]) {
      const x = values(n, n, 'wide'),
        y = values(n, n + 1, 'wide');
      const plan = planOf([n], [[n], [n]]);
      const run = (f: (out: Float32Array) => void, len = n) => {
        const out = new Float32Array(len);
        f(out);
        return out;
      };
      expectAllClose(
        run((o) => nb.unary('sigmoid', x, o)),
        run((o) => ref.unary('sigmoid', x, o)),
        { rtol: 1e-5 },
      );
      expectAllClose(
        run((o) => nb.binary('mul', x, y, o, plan)),
        run((o) => ref.binary('mul', x, y, o, plan)),
      );
      expectAllClose(
        run((o) => nb.reduce('sum', x, o, { outer: 1, n, inner: 1 }), 1),
        run((o) => ref.reduce('sum', x, o, { outer: 1, n, inner: 1 }), 1),
        { rtol: 1e-5, atol: 1e-3 },
      );
      const cols = Math.min(n, 10),
        rows = n / cols;
      expectAllClose(
        run((o) => nb.softmax(x, o, rows, cols, false)),
        run((o) => ref.softmax(x, o, rows, cols, false)),
        { rtol: 1e-5 },
      );
    }
  });
});
