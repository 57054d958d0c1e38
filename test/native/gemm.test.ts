import { describe, expect, it } from 'vitest';
import type { GemmParams } from '../../lib/backend/backend.js';
import { referenceBackend } from '../../lib/backend/reference/index.js';
import { denseCode } from '../../lib/backend/kinds.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { randomArray } from '../helpers/random.js';

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 5],
  [6, 1, 4],
  [5, 3, 1],
  [1, 1, 9],
  [0, 3, 4],
  [3, 0, 4],
  [3, 4, 0],
  [0, 0, 0],
  [2, 3, 4],
  [17, 33, 9],
  [64, 64, 64],
  [65, 31, 130],
  [128, 1, 257],
  // large enough for the built-in kernel to split over threads (m·n·k >= 2^20; length·k >= 2^15 for m or n = 1)
  [130, 301, 40],
  [1, 3000, 40],
  [2100, 1, 33],
];
const FLAGS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function run(gemm: typeof referenceBackend.gemm, p: GemmParams, seed: number): Float32Array {
  const a = randomArray(p.m * p.k, seed);
  const b = randomArray(p.k * p.n, seed + 1);
  const c = randomArray(p.m * p.n, seed + 2);
  gemm(a, b, c, p);
  return c;
}

describe('gemm (reference) by hand', () => {
  it('multiplies 2×2 matrices', () => {
    const c = new Float32Array(4);
    referenceBackend.gemm(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), c, {
      m: 2,
      n: 2,
      k: 2,
      transA: false,
      transB: false,
      alpha: 1,
      beta: 0,
    });
    expect([...c]).toEqual([19, 22, 43, 50]);
  });
  it('applies transpose flags, alpha and beta', () => {
    // A stored [[1,3],[2,4]] used transposed = [[1,2],[3,4]]; B stored [[5,7],[6,8]] used transposed = [[5,6],[7,8]].
    const c = Float32Array.of(1, 1, 1, 1);
    referenceBackend.gemm(Float32Array.of(1, 3, 2, 4), Float32Array.of(5, 7, 6, 8), c, {
      m: 2,
      n: 2,
      k: 2,
      transA: true,
      transB: true,
      alpha: 2,
      beta: 10,
    });
    expect([...c]).toEqual([48, 54, 96, 110]);
  });
  it('ignores NaN in c when beta is 0', () => {
    const c = Float32Array.of(NaN);
    referenceBackend.gemm(Float32Array.of(2), Float32Array.of(3), c, {
      m: 1,
      n: 1,
      k: 1,
      transA: false,
      transB: false,
      alpha: 1,
      beta: 0,
    });
    expect(c[0]).toBe(6);
  });
});

describe.skipIf(!nativeLoaded)('gemm native vs reference', () => {
  const native = (a: Float32Array, b: Float32Array, c: Float32Array, p: GemmParams) =>
    addon!.gemmF32(a, b, c, p.m, p.n, p.k, p.transA, p.transB, p.alpha, p.beta);
  const cases = SIZES.flatMap(([m, n, k]) => FLAGS.map(([transA, transB]) => ({ m, n, k, transA, transB })));
  it.each(cases)('m=$m n=$n k=$k transA=$transA transB=$transB', ({ m, n, k, transA, transB }) => {
    for (const [alpha, beta] of [
      [1, 0],
      [0.5, 1],
      [-2, 0.25],
      [0, 3],
    ]) {
      const p = { m, n, k, transA, transB, alpha, beta };
      expectAllClose(run(native, p, m * 31 + n * 7 + k), run(referenceBackend.gemm, p, m * 31 + n * 7 + k), {
        rtol: 1e-4,
        atol: 1e-5,
      });
    }
  });
  it('propagates NaN and Infinity from the inputs', () => {
    const p = { m: 2, n: 2, k: 2, transA: false, transB: false, alpha: 1, beta: 0 };
    const a = Float32Array.of(NaN, 1, 1, Infinity),
      b = Float32Array.of(1, 1, 1, 1);
    const cn = new Float32Array(4),
      cr = new Float32Array(4);
    native(a, b, cn, p);
    referenceBackend.gemm(a, b, cr, p);
    expectAllClose(cn, cr);
    expect(Number.isNaN(cn[0])).toBe(true);
    expect(cn[2]).toBe(Infinity);
  });
  it('handles large magnitudes without spurious overflow', () => {
    const p = { m: 1, n: 1, k: 2, transA: false, transB: false, alpha: 1, beta: 0 };
    const c = new Float32Array(1);
    native(Float32Array.of(1e19, 1e19), Float32Array.of(1e19, 1e19), c, p);
    expect(c[0]).toBeCloseTo(2e38, -33);
    native(Float32Array.of(1e20, 1e20), Float32Array.of(1e20, 1e20), c, p);
    expect(c[0]).toBe(Infinity);
  });
  it('works on subarray views with an offset', () => {
    const buf = randomArray(20, 3);
    const a = buf.subarray(2, 8),
      b = buf.subarray(8, 14);
    const cn = new Float32Array(4),
      cr = new Float32Array(4);
    const p = { m: 2, n: 2, k: 3, transA: false, transB: false, alpha: 1, beta: 0 };
    native(a, b, cn, p);
    referenceBackend.gemm(a, b, cr, p);
    expectAllClose(cn, cr);
  });
});

describe.skipIf(!nativeLoaded)('gemmF32 rejects bad input with an error naming it', () => {
  const f = (n: number) => new Float32Array(n);
  const call =
    (...args: unknown[]) =>
    () =>
      (addon!.gemmF32 as (...a: unknown[]) => void)(...args);
  const ok = [f(6), f(12), f(8), 2, 4, 3, false, false, 1, 0];
  const withArg = (i: number, v: unknown) => ok.map((x, j) => (j === i ? v : x));
  it('accepts the valid call', () => expect(call(...ok)).not.toThrow());
  it.each([
    ['a too short', withArg(0, f(5)), /gemmF32: a has 5 elements, expected m\*k = 6/],
    ['b too long', withArg(1, f(13)), /gemmF32: b has 13 elements, expected k\*n = 12/],
    ['c wrong length', withArg(2, f(7)), /gemmF32: c has 7 elements, expected m\*n = 8/],
    ['negative m', withArg(3, -1), /gemmF32: m must be an integer/],
    ['fractional n', withArg(4, 1.5), /gemmF32: n must be an integer/],
    ['NaN k', withArg(5, NaN), /gemmF32: k must be an integer .* got NaN/],
    ['huge m', withArg(3, 2 ** 31), /gemmF32: m must be an integer/],
    ['Infinity n', withArg(4, Infinity), /gemmF32: n must be an integer/],
    ['m as a string', withArg(3, '2'), /gemmF32: m must be a number/],
    ['a as Float64Array', withArg(0, new Float64Array(6)), /gemmF32: a must be a Float32Array/],
    ['b as a plain array', withArg(1, new Array(12).fill(0)), /gemmF32: b must be a Float32Array/],
    ['c as Int32Array', withArg(2, new Int32Array(8)), /gemmF32: c must be a Float32Array/],
    ['a undefined', withArg(0, undefined), /gemmF32: a must be a Float32Array/],
    ['transA not boolean', withArg(6, 1), /gemmF32: transA must be a boolean/],
    ['alpha not a number', withArg(8, null), /gemmF32: alpha must be a number/],
    ['too few arguments', ok.slice(0, 9), /gemmF32: expected 10 arguments, got 9/],
  ])('%s', (_name, args, message) => {
    expect(call(...args)).toThrow(message);
  });
  it('rejects overflowing products of large dimensions', () => {
    expect(call(f(0), f(0), f(0), 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, false, false, 1, 0)).toThrow(
      /gemmF32: a has 0 elements/,
    );
  });
  it('rejects c aliasing a or b, also through overlapping views', () => {
    const a = f(4);
    expect(call(a, f(4), a, 2, 2, 2, false, false, 1, 0)).toThrow(/c must not overlap a/);
    const buf = f(10);
    expect(call(f(4), buf.subarray(0, 4), buf.subarray(3, 7), 2, 2, 2, false, false, 1, 0)).toThrow(
      /c must not overlap b/,
    );
    expect(call(f(4), buf.subarray(0, 4), buf.subarray(4, 8), 2, 2, 2, false, false, 1, 0)).not.toThrow();
  });
});

describe.skipIf(!nativeLoaded)('gemmBatchedF32: small products side by side on the threads', () => {
  // [m, n, k, batch, strideA, strideB]: attention's products (one per sample and head, each too small to split,
  // together large enough to share out), a batch sharing B (strideB 0), uneven shares, and a single item.
  const CASES: [number, number, number, number, number, number][] = [
    [32, 32, 16, 128, 512, 512],
    [32, 16, 32, 129, 1024, 0],
    [7, 9, 5, 4001, 35, 45],
    [40, 40, 40, 1, 1600, 1600],
  ];
  const product = (threads: number, [m, n, k, batch, sa, sb]: (typeof CASES)[number], beta: number, seed: number) => {
    const a = randomArray(sa * (batch - 1) + m * k, seed),
      b = randomArray(sb * (batch - 1) + k * n, seed + 1);
    const c = randomArray(batch * m * n, seed + 2);
    const before = addon!.getNumThreads();
    addon!.setNumThreads(threads);
    try {
      addon!.gemmBatchedF32(a, b, c, m, n, k, false, true, 0.5, beta, batch, sa, sb);
    } finally {
      addon!.setNumThreads(before);
    }
    return { a, b, c };
  };
  it.each(CASES)('m=%i n=%i k=%i batch=%i: equal to the reference, the same bits on 1, 2 and 3 threads', (...cs) => {
    for (const beta of [0, 1]) {
      const one = product(1, cs, beta, 5).c;
      for (const t of [2, 3]) expect(product(t, cs, beta, 5).c).toEqual(one);
      const [m, n, k, batch, sa, sb] = cs;
      const ref = randomArray(batch * m * n, 7);
      const { a, b } = product(1, cs, beta, 5);
      referenceBackend.gemmBatched(
        a,
        b,
        ref,
        { m, n, k, transA: false, transB: true, alpha: 0.5, beta },
        { batch, strideA: sa, strideB: sb },
      );
      expectAllClose(one, ref, { rtol: 1e-4, atol: 1e-5 });
    }
  });
});

describe.skipIf(!nativeLoaded)("denseF32: bias and relu in the product's epilogue", () => {
  // The epilogue adds the bias and applies relu to each tile of C as it is finished: the same float operations as
  // a product, then `+ b`, then relu, so the same bits, on every path of the kernel (matrix-vector, narrow through
  // the transpose, tiles split over threads with a short last row of tiles, no product at all).
  const CASES: [number, number, number][] = [
    [1, 50, 30],
    [40, 1, 30],
    [256, 10, 256],
    [256, 300, 100],
    [33, 70, 20],
    [5, 7, 3],
    [9, 6, 0],
  ];
  const relu = (v: number) => (v > 0 || v !== v ? v : 0);
  it.each(CASES)('m=%i n=%i k=%i: the bits of gemm, then + b, then relu (NaN kept)', (m, n, k) => {
    for (const [act, withBias] of [
      ['relu', true],
      ['relu', false],
      ['linear', true],
    ] as const) {
      const x = randomArray(m * k, m + n),
        w = randomArray(k * n, k + 1);
      if (x.length > 3) x[3] = NaN; // a NaN row: relu keeps it
      const b = withBias ? randomArray(n, 9) : new Float32Array(0);
      const out = new Float32Array(m * n).fill(7);
      addon!.denseF32(x, w, b, out, m, k, n, denseCode[act]);
      const want = new Float32Array(m * n);
      addon!.gemmF32(x, w, want, m, n, k, false, false, 1, 0);
      for (let i = 0; i < m * n; i++) {
        const v = Math.fround(want[i] + (withBias ? b[i % n] : 0));
        want[i] = act === 'relu' ? relu(v) : v;
      }
      expect(Buffer.from(out.buffer).equals(Buffer.from(want.buffer)), `${act}, bias ${withBias}`).toBe(true);
    }
  });
});
