import { CUDA_FUNCTIONS } from '../../lib/backend/cuda/addon-types.js';
import { describe, expect, it } from 'vitest';
import type { NativeAddon } from '../../lib/backend/native/addon-types.js';
import { addon, nativeLoaded } from '../helpers/backends.js';

// Every binding rejects every malformed call with a JS Error whose message starts with its name,
// and never reads or writes outside a buffer. gemmF32 has its own table in gemm.test.ts.

const f = (n: number) => new Float32Array(n);
const f64 = (...xs: number[]) => Float64Array.from(xs);

interface Spec {
  /** A valid call, built fresh for each case (so in-place updates and aliasing cases never share buffers). */
  ok: () => unknown[];
  /** Argument positions that must be Float32Arrays, by name. */
  f32: Record<number, string>;
  /** Argument positions that are sizes (non-negative integers ≤ INT32_MAX), by name. */
  dims?: Record<number, string>;
  /** For bindings that take a variable number of arrays: the fixed arguments before them. */
  minArgs?: number;
  /** Further cases: a name, the arguments (from a valid call), and what the message must say after "fn: ". */
  cases: [string, (args: unknown[]) => unknown[], RegExp | string][];
}

const set = (i: number, v: unknown) => (args: unknown[]) => args.map((x, j) => (j === i ? v : x));
const same = (from: number, to: number) => (args: unknown[]) => args.map((x, j) => (j === to ? args[from] : x));
/** A view into the same memory as argument `from`, overlapping it by one element, of the length argument `to` needs. */
const overlapping = (from: number, to: number) => (args: unknown[]) => {
  const src = args[from] as Float32Array,
    len = (args[to] as Float32Array).length;
  const buf = new Float32Array(src.length + len);
  return args.map((x, j) =>
    j === from ? buf.subarray(0, src.length) : j === to ? buf.subarray(src.length - 1, src.length - 1 + len) : x,
  );
};
const BAD_CODES: [string, unknown][] = [
  ['-1', -1],
  ['too large', 99],
  ['fractional', 0.5],
  ['NaN', NaN],
  ['a string', '0'],
  ['undefined', undefined],
];
const codeCases = (count: number): Spec['cases'] => [
  ...BAD_CODES.map(([name, v]): Spec['cases'][number] => [`code ${name}`, set(0, v), /^op (code )?must be/]),
  [
    'code one past the last op',
    set(0, count),
    new RegExp(`^op code must be an integer in \\[0, ${count}\\), got ${count}`),
  ],
];
/** The usual ways a plan argument goes wrong, for the shape at `shapeArg` and strides right after it. */
const planCases = (shapeArg: number, strideNames: string[]): Spec['cases'] => [
  ['shape as a plain array', set(shapeArg, [2, 3]), /shape must be a Float64Array/],
  ['shape as an Int32Array', set(shapeArg, Int32Array.of(2, 3)), /shape must be a Float64Array/],
  ['a negative shape entry', set(shapeArg, f64(-2, 3)), /shape\[0\] must be an integer/],
  ['a fractional shape entry', set(shapeArg, f64(2, 2.5)), /shape\[1\] must be an integer/],
  ['a NaN shape entry', set(shapeArg, f64(NaN, 3)), /shape\[0\] must be an integer .* got NaN/],
  ['a huge shape entry', set(shapeArg, f64(2 ** 31, 3)), /shape\[0\] must be an integer/],
  [
    'an overflowing shape',
    set(shapeArg, f64(2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1)),
    /prod\(shape\) overflows|has \d+ elements/,
  ],
  ['rank 33', set(shapeArg, new Float64Array(33).fill(1)), /shape has 33 entries, at most 32/],
  ...strideNames.flatMap((name, k): Spec['cases'] => [
    [
      `${name} of the wrong rank`,
      set(shapeArg + 1 + k, f64(1)),
      new RegExp(`${name} has 1 entries, expected rank\\(shape\\) = 2`),
    ],
    [`${name} as undefined`, set(shapeArg + 1 + k, undefined), new RegExp(`${name} must be a Float64Array`)],
    [`${name} negative`, set(shapeArg + 1 + k, f64(-3, 1)), new RegExp(`${name}\\[0\\] must be an integer`)],
    [`${name} reaching past the end`, set(shapeArg + 1 + k, f64(3, 2)), new RegExp(`${name} reach past the end`)],
    [`${name} huge`, set(shapeArg + 1 + k, f64(2 ** 52, 1)), new RegExp(`${name} reach past the end`)],
    [`${name} beyond 2^53`, set(shapeArg + 1 + k, f64(2 ** 60, 1)), new RegExp(`${name}\\[0\\] must be an integer`)],
  ]),
  ['out shorter than prod(shape)', (a) => set(shapeArg - 1, f(5))(a), /out has 5 elements, expected prod\(shape\) = 6/],
];

/** A convolution's geometry (x [2, 5, 5, 3], kernel [3, 3, 3, 4], valid, stride 1) with some entries replaced. */
const convGeom = (edit: Record<number, number> = {}) =>
  f64(...[2, 5, 5, 3, 3, 3, 4, 3, 3, 1, 1, 1, 1, 0, 0].map((v, i) => edit[i] ?? v));
/** A pooling geometry (x [2, 5, 5, 3], pool 2×2, stride 2, valid) with some entries replaced. */
const poolGeom = (edit: Record<number, number> = {}) =>
  f64(...[2, 5, 5, 3, 2, 2, 2, 2, 2, 2, 0, 0].map((v, i) => edit[i] ?? v));
/** The ways a geometry argument goes wrong. */
const geomCases = (at: number, geom: (edit?: Record<number, number>) => Float64Array, count: number): Spec['cases'] => [
  ['geom as a plain array', set(at, Array.from(geom())), /geom must be a Float64Array/],
  [
    'geom one entry short',
    set(at, geom().subarray(0, count - 1)),
    new RegExp(`geom has ${count - 1} entries, expected ${count}`),
  ],
  ['geom one entry long', set(at, f64(...geom(), 0)), new RegExp(`geom has ${count + 1} entries, at most ${count}`)],
  ['a negative geom entry', set(at, geom({ 1: -5 })), /geom\[1\] must be an integer/],
  ['a fractional geom entry', set(at, geom({ 2: 4.5 })), /geom\[2\] must be an integer/],
  ['a NaN geom entry', set(at, geom({ 0: NaN })), /geom\[0\] must be an integer .* got NaN/],
  ['a geom entry beyond int', set(at, geom({ 3: 2 ** 31 })), /geom\[3\] must be an integer/],
  [
    'an overflowing geom',
    set(at, geom({ 0: 2 ** 31 - 1, 1: 2 ** 31 - 1, 2: 2 ** 31 - 1 })),
    /overflows|exceeds|has \d+ elements/,
  ],
];

const SPECS: Partial<Record<keyof NativeAddon, Spec>> = {
  unaryF32: {
    ok: () => [1, f(6), f(6)],
    f32: { 1: 'x', 2: 'out' },
    cases: [
      ...codeCases(11),
      ['out longer than x', set(2, f(7)), /out has 7 elements, expected x.length = 6/],
      ['out aliasing x', same(1, 2), /out must not overlap x/],
      ['out overlapping x by one element', overlapping(1, 2), /out must not overlap x/],
      [
        'x detached',
        (a) => {
          const x = f(6);
          structuredClone(x.buffer, { transfer: [x.buffer] });
          return set(1, x)(a);
        },
        /out has 6 elements, expected x.length = 0/,
      ],
    ],
  },
  binaryF32: {
    ok: () => [0, f(6), f(3), f(6), f64(2, 3), f64(3, 1), f64(0, 1)],
    f32: { 1: 'a', 2: 'b', 3: 'out' },
    cases: [
      ...codeCases(12),
      ...planCases(4, ['aStrides', 'bStrides']),
      ['b too short for its strides', set(2, f(2)), /bStrides reach past the end of b \(2 elements\)/],
      ['a empty while the output is not', set(1, f(0)), /aStrides reach past the end of a \(0 elements\)/],
      ['out aliasing a', same(1, 3), /out must not overlap a/],
      ['out overlapping b', overlapping(2, 3), /out must not overlap b/],
    ],
  },
  whereF32: {
    ok: () => [f(3), f(6), f(1), f(6), f64(2, 3), f64(0, 1), f64(3, 1), f64(0, 0)],
    f32: { 0: 'cond', 1: 'a', 2: 'b', 3: 'out' },
    cases: [
      ...planCases(4, ['condStrides', 'aStrides', 'bStrides']),
      ['cond too short', set(0, f(2)), /condStrides reach past the end of cond/],
      ['out aliasing cond', (a) => set(0, a[3])(a), /out must not overlap cond/],
      ['out overlapping a', overlapping(1, 3), /out must not overlap a/],
    ],
  },
  broadcastF32: {
    ok: () => [f(3), f(6), f64(2, 3), f64(0, 1)],
    f32: { 0: 'x', 1: 'out' },
    cases: [
      ['shape as a plain array', set(2, [2, 3]), /shape must be a Float64Array/],
      ['a NaN shape entry', set(2, f64(2, NaN)), /shape\[1\] must be an integer/],
      ['xStrides reaching past the end', set(3, f64(1, 1)), /xStrides reach past the end of x \(3 elements\)/],
      ['xStrides of the wrong rank', set(3, f64(1)), /xStrides has 1 entries/],
      ['out shorter than prod(shape)', set(1, f(5)), /out has 5 elements, expected prod\(shape\) = 6/],
      ['out aliasing x', (a) => set(0, (a[1] as Float32Array).subarray(0, 3))(a), /out must not overlap x/],
    ],
  },
  crossentropyF32: {
    ok: () => [0, f(6), f(6), f(3), 3, 2, 1e-7],
    f32: { 1: 'y', 2: 'p', 3: 'out' },
    dims: { 4: 'rows', 5: 'cols' },
    cases: [
      ['kind 2', set(0, 2), /^kind code must be an integer in \[0, 2\), got 2/],
      ['p too short', set(2, f(5)), /p has 5 elements, expected rows\*cols = 6/],
      ['out too long', set(3, f(4)), /out has 4 elements, expected rows = 3/],
      ['eps NaN', set(6, NaN), /eps must be a finite number/],
      ['out aliasing p', (a) => set(3, (a[2] as Float32Array).subarray(0, 3))(a), /out must not overlap p/],
    ],
  },
  crossentropyBackwardF32: {
    ok: () => [1, f(6), f(6), f(3), f(6), 3, 2, 1e-7],
    f32: { 1: 'y', 2: 'p', 3: 'dy', 4: 'dp' },
    dims: { 5: 'rows', 6: 'cols' },
    cases: [
      ['dy too short', set(3, f(2)), /dy has 2 elements, expected rows = 3/],
      ['dp too short', set(4, f(5)), /dp has 5 elements, expected rows\*cols = 6/],
      ['eps Infinity', set(7, Infinity), /eps must be a finite number/],
      ['dp aliasing y', (a) => set(4, a[1])(a), /dp must not overlap y/],
    ],
  },
  reduceF32: {
    ok: () => [0, f(24), f(8), 2, 3, 4, false],
    f32: { 1: 'x', 2: 'out' },
    dims: { 3: 'outer', 4: 'n', 5: 'inner' },
    cases: [
      ...codeCases(3),
      ['x too short', set(1, f(23)), /x has 23 elements, expected outer\*n\*inner = 24/],
      ['out too long', set(2, f(9)), /out has 9 elements, expected outer\*inner = 8/],
      [
        'overflowing dims',
        (a) => [0, a[1], a[2], 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, false],
        /overflows|has 24 elements/,
      ],
      ['ordered not a boolean', set(6, 1), /ordered must be a boolean/],
      ['out aliasing x', (a) => set(2, (a[1] as Float32Array).subarray(4, 12))(a), /out must not overlap x/],
    ],
  },
  argmaxF32: {
    ok: () => [f(24), f(8), 2, 3, 4],
    f32: { 0: 'x', 1: 'out' },
    dims: { 2: 'outer', 3: 'n', 4: 'inner' },
    cases: [
      ['x too long', set(0, f(25)), /x has 25 elements, expected outer\*n\*inner = 24/],
      ['out too short', set(1, f(7)), /out has 7 elements, expected outer\*inner = 8/],
      ['out aliasing x', (a) => set(1, (a[0] as Float32Array).subarray(16, 24))(a), /out must not overlap x/],
    ],
  },
  mlpForwardF32: {
    // x [2, 3] → dense 3→4 relu → dense 4→2 softmax → out [2, 2]; layer l's w, b at 3 + 2·l.
    ok: () => [f(6), f(4), f64(2, 3, 4, 1, 4, 2, 4), f(12), f(4), f(8), f(2)],
    f32: { 0: 'x', 1: 'out' },
    minArgs: 3,
    cases: [
      ['one array short', (a) => a.slice(0, 6), /3 arrays after dims, expected 2 per layer = 4/],
      ['a weight as a Float64Array', set(5, new Float64Array(8)), /w of layer 1 \(argument 5\) must be a Float32Array/],
      ['w of the wrong length', set(3, f(11)), /w has 11 elements, expected k\*n = 12/],
      ['b of the wrong length', set(4, f(3)), /b has 3 elements, expected n = 4/],
      ['layers that do not chain', set(2, f64(2, 3, 4, 1, 5, 2, 4)), /layer 1 takes 5 inputs but layer 0 gives 4/],
      ['dims without layers', set(2, f64(2)), /dims must hold rows then/],
      ['dims not in threes', set(2, f64(2, 3, 4, 1, 4)), /dims must hold rows then/],
      ['an unknown activation', set(2, f64(2, 3, 4, 7, 4, 2, 4)), /act of layer 0 is not a dense activation code/],
      ['a zero-width layer', set(2, f64(2, 3, 0, 1, 0, 2, 4)), /layer 0 has a zero size/],
      ['x of the wrong length', set(0, f(5)), /x has 5 elements, expected rows\*k0 = 6/],
      ['out of the wrong length', set(1, f(5)), /out has 5 elements, expected rows\*n_last = 4/],
      ['out aliasing x', (a) => set(1, (a[0] as Float32Array).subarray(0, 4))(a), /out must not overlap x/],
      ['out aliasing a weight', (a) => set(1, (a[3] as Float32Array).subarray(2, 6))(a), /out must not overlap w/],
    ],
  },
  denseF32: {
    // x [2, 3], w [3, 4], b [4], out [2, 4], act relu
    ok: () => [f(6), f(12), f(4), f(8), 2, 3, 4, 1],
    f32: { 0: 'x', 1: 'w', 2: 'b', 3: 'out' },
    dims: { 4: 'm', 5: 'k', 6: 'n' },
    cases: [
      ...BAD_CODES.map(([name, v]): Spec['cases'][number] => [`act code ${name}`, set(7, v), /^act (code )?must be/]),
      ['x too short', set(0, f(5)), /x has 5 elements, expected m\*k = 6/],
      ['w too long', set(1, f(13)), /w has 13 elements, expected k\*n = 12/],
      ['b of the wrong length', set(2, f(3)), /b has 3 elements, expected n = 4/],
      ['out too short', set(3, f(7)), /out has 7 elements, expected m\*n = 8/],
      ['out overlapping x', overlapping(0, 3), /out must not overlap x/],
      ['out overlapping w', overlapping(1, 3), /out must not overlap w/],
      ['an overflowing m*k', (a) => set(4, 2 ** 31 - 1)(set(5, 2 ** 31 - 1)(a)), /x has 6 elements|overflows/],
    ],
  },
  denseBackwardF32: {
    // x [2, 3], w [3, 4], y [2, 4], dy [2, 4], dx [2, 3], dw [3, 4], db [4]
    ok: () => [f(6), f(12), f(8), f(8), f(6), f(12), f(4), 2, 3, 4, 2],
    f32: { 0: 'x', 1: 'w', 2: 'y', 3: 'dy', 4: 'dx', 5: 'dw', 6: 'db' },
    dims: { 7: 'm', 8: 'k', 9: 'n' },
    cases: [
      ['act code one past the last', set(10, 5), /^act code must be an integer in \[0, 5\), got 5/],
      ['y too short', set(2, f(7)), /y has 7 elements, expected m\*n = 8/],
      ['dy too long', set(3, f(9)), /dy has 9 elements, expected m\*n = 8/],
      ['dx of the wrong length', set(4, f(5)), /dx has 5 elements, expected m\*k = 6/],
      ['dw of the wrong length', set(5, f(11)), /dw has 11 elements, expected k\*n = 12/],
      ['db of the wrong length', set(6, f(3)), /db has 3 elements, expected n = 4/],
      ['dw the same buffer as w', same(1, 5), /dw must not overlap w/],
      ['dx overlapping x', overlapping(0, 4), /dx must not overlap x/],
      ['db overlapping dy', overlapping(3, 6), /db must not overlap dy/],
      ['dx the same buffer as dw', (a) => set(4, (a[5] as Float32Array).subarray(0, 6))(a), /dx must not overlap dw/],
    ],
  },
  conv2dF32: {
    // x [2, 5, 5, 3], w [3, 3, 3, 4], b [4], out [2, 3, 3, 4], act relu
    ok: () => [f(150), f(108), f(4), f(72), convGeom(), 1],
    f32: { 0: 'x', 1: 'w', 2: 'b', 3: 'out' },
    cases: [
      ...BAD_CODES.map(([name, v]): Spec['cases'][number] => [`act code ${name}`, set(5, v), /^act (code )?must be/]),
      ...geomCases(4, convGeom, 15),
      ['a zero kernel size', set(4, convGeom({ 4: 0 })), /kernel size must be at least 1/],
      ['a zero stride', set(4, convGeom({ 9: 0 })), /strides and dilations must be at least 1/],
      ['a zero dilation', set(4, convGeom({ 12: 0 })), /strides and dilations must be at least 1/],
      ['n*oh*ow beyond int', set(4, convGeom({ 0: 2 ** 31 - 1, 7: 2 })), /n\*oh\*ow exceeds 2147483647/],
      ['kh*kw*c beyond int', set(4, convGeom({ 4: 2 ** 16, 5: 2 ** 16 })), /kh\*kw\*c exceeds 2147483647/],
      ['x too short', set(0, f(149)), /x has 149 elements, expected n\*h\*w\*c = 150/],
      ['w too long', set(1, f(109)), /w has 109 elements, expected kh\*kw\*c\*cout = 108/],
      ['b of the wrong length', set(2, f(3)), /b has 3 elements, expected cout = 4/],
      ['out too short', set(3, f(71)), /out has 71 elements, expected n\*oh\*ow\*cout = 72/],
      ['out overlapping x', overlapping(0, 3), /out must not overlap x/],
      ['out overlapping b', overlapping(2, 3), /out must not overlap b/],
    ],
  },
  conv2dBackwardF32: {
    ok: () => [f(150), f(108), f(72), f(72), f(150), f(108), f(4), convGeom(), 1],
    f32: { 0: 'x', 1: 'w', 2: 'y', 3: 'dy', 4: 'dx', 5: 'dw', 6: 'db' },
    cases: [
      ['act code one past the last', set(8, 5), /^act code must be an integer in \[0, 5\), got 5/],
      ...geomCases(7, convGeom, 15),
      ['y too short', set(2, f(71)), /y has 71 elements, expected n\*oh\*ow\*cout = 72/],
      ['dy too long', set(3, f(73)), /dy has 73 elements, expected n\*oh\*ow\*cout = 72/],
      ['dx of the wrong length', set(4, f(149)), /dx has 149 elements, expected n\*h\*w\*c = 150/],
      ['dw of the wrong length', set(5, f(107)), /dw has 107 elements, expected kh\*kw\*c\*cout = 108/],
      ['db of the wrong length', set(6, f(5)), /db has 5 elements, expected cout = 4/],
      ['dw the same buffer as w', same(1, 5), /dw must not overlap w/],
      ['dx overlapping x', overlapping(0, 4), /dx must not overlap x/],
      ['db overlapping dy', overlapping(3, 6), /db must not overlap dy/],
      [
        'dx overlapping dw',
        (a) => {
          const buf = f(257);
          return set(4, buf.subarray(0, 150))(set(5, buf.subarray(149))(a));
        },
        /dx must not overlap dw/,
      ],
    ],
  },
  ...Object.fromEntries(
    (['maxPool2dF32', 'avgPool2dF32'] as const).map((fn): [string, Spec] => [
      fn,
      {
        // x [2, 5, 5, 3], pool 2×2 stride 2 valid: out [2, 2, 2, 3]
        ok: () => [f(150), f(24), poolGeom()],
        f32: { 0: 'x', 1: 'out' },
        cases: [
          ...geomCases(2, poolGeom, 12),
          ['a zero pool size', set(2, poolGeom({ 5: 0 })), /pool size must be at least 1/],
          ['a zero stride', set(2, poolGeom({ 8: 0 })), /strides must be at least 1/],
          ['x too short', set(0, f(149)), /x has 149 elements, expected n\*h\*w\*c = 150/],
          ['out too long', set(1, f(25)), /out has 25 elements, expected n\*oh\*ow\*c = 24/],
          ['out overlapping x', overlapping(0, 1), /out must not overlap x/],
        ],
      },
    ]),
  ),
  maxPool2dBackwardF32: {
    ok: () => [f(150), f(24), f(150), poolGeom()],
    f32: { 0: 'x', 1: 'dy', 2: 'dx' },
    cases: [
      ...geomCases(3, poolGeom, 12),
      ['dy too short', set(1, f(23)), /dy has 23 elements, expected n\*oh\*ow\*c = 24/],
      ['dx too short', set(2, f(149)), /dx has 149 elements, expected n\*h\*w\*c = 150/],
      ['dx the same buffer as x', same(0, 2), /dx must not overlap x/],
      ['dx overlapping dy', overlapping(1, 2), /dx must not overlap dy/],
    ],
  },
  avgPool2dBackwardF32: {
    ok: () => [f(24), f(150), poolGeom()],
    f32: { 0: 'dy', 1: 'dx' },
    cases: [
      ...geomCases(2, poolGeom, 12),
      ['dy too long', set(0, f(25)), /dy has 25 elements, expected n\*oh\*ow\*c = 24/],
      ['dx too short', set(1, f(149)), /dx has 149 elements, expected n\*h\*w\*c = 150/],
      ['dx overlapping dy', overlapping(0, 1), /dx must not overlap dy/],
    ],
  },
  softmaxF32: {
    ok: () => [f(12), f(12), 3, 4, false],
    f32: { 0: 'x', 1: 'out' },
    dims: { 2: 'rows', 3: 'cols' },
    cases: [
      ['log not a boolean', set(4, 1), /log must be a boolean/],
      ['log undefined', set(4, undefined), /log must be a boolean/],
      ['x too short', set(0, f(11)), /x has 11 elements, expected rows\*cols = 12/],
      ['out too long', set(1, f(13)), /out has 13 elements, expected rows\*cols = 12/],
      ['out aliasing x', same(0, 1), /out must not overlap x/],
      ['out overlapping x', overlapping(0, 1), /out must not overlap x/],
    ],
  },
  maskedSoftmaxF32: {
    // x [2, 2, 3, 4] scores, mask [2, 1, 3, 4] shared by 2 heads of 3 rows.
    ok: () => [f(48), f(24), f(48), 12, 4, 2, 3],
    f32: { 0: 'x', 1: 'mask', 2: 'out' },
    dims: { 3: 'rows', 4: 'cols', 5: 'heads', 6: 'inner' },
    cases: [
      ['x too short', set(0, f(47)), /x has 47 elements, expected rows\*cols = 48/],
      ['mask too short', set(1, f(23)), /mask has 23 elements, expected rows\/heads\*cols = 24/],
      ['rows not a multiple of heads*inner', set(5, 5), /rows must be a multiple of heads\*inner/],
      ['heads 0', set(5, 0), /rows must be a multiple of heads\*inner/],
      ['out aliasing x', same(0, 2), /out must not overlap x/],
      ['out overlapping mask', overlapping(1, 2), /out must not overlap mask/],
    ],
  },
  softmaxBackwardF32: {
    ok: () => [f(12), f(12), f(12), 3, 4],
    f32: { 0: 'y', 1: 'dy', 2: 'dx' },
    dims: { 3: 'rows', 4: 'cols' },
    cases: [
      ['dy too long', set(1, f(13)), /dy has 13 elements, expected rows\*cols = 12/],
      ['dx aliasing dy', same(1, 2), /dx must not overlap dy/],
      ['dx overlapping y', overlapping(0, 2), /dx must not overlap y/],
    ],
  },
  bernoulliF32: {
    ok: () => [new Int32Array(4).fill(7), f(12), 0.5, 2],
    f32: { 1: 'out' },
    cases: [
      ['state a Float32Array', set(0, f(4)), /state must be an Int32Array/],
      ['state of 3 words', set(0, new Int32Array(3)), /state must hold the generator's 4 words, got 3/],
      ['p above 1', set(2, 1.5), /p must be a probability in \[0, 1\]/],
      ['p NaN', set(2, NaN), /p must be a probability/],
      ['value a string', set(3, '2'), /value must be a number/],
    ],
  },
  layerNormF32: {
    ok: () => [f(12), f(4), f(4), f(12), f(3), f(3), 3, 4, 1e-3],
    f32: { 0: 'x', 1: 'gamma', 2: 'beta', 3: 'out', 4: 'mean', 5: 'rstd' },
    dims: { 6: 'rows', 7: 'cols' },
    cases: [
      ['x too short', set(0, f(11)), /x has 11 elements, expected rows\*cols = 12/],
      ['gamma of the wrong length', set(1, f(3)), /gamma has 3 elements, expected cols = 4/],
      ['mean too short', set(4, f(2)), /mean has 2 elements, expected rows = 3/],
      ['a negative eps', set(8, -1), /eps must be a non-negative number/],
      ['eps NaN', set(8, NaN), /eps must be a non-negative number|eps must be a number/],
      ['out aliasing x', same(0, 3), /out must not overlap x/],
      ['rstd overlapping mean', overlapping(4, 5), /mean must not overlap rstd|rstd must not overlap mean/],
    ],
  },
  layerNormBackwardF32: {
    ok: () => [f(12), f(4), f(3), f(3), f(12), f(12), f(4), f(4), 3, 4],
    f32: { 0: 'x', 1: 'gamma', 2: 'mean', 3: 'rstd', 4: 'dy', 5: 'dx', 6: 'dgamma', 7: 'dbeta' },
    dims: { 8: 'rows', 9: 'cols' },
    cases: [
      ['dy too short', set(4, f(11)), /dy has 11 elements, expected rows\*cols = 12/],
      ['dbeta too long', set(7, f(5)), /dbeta has 5 elements, expected cols = 4/],
      ['dx aliasing dy', same(4, 5), /dx must not overlap dy/],
      ['dgamma aliasing dbeta', same(6, 7), /dgamma must not overlap dbeta/],
    ],
  },
  batchNormF32: {
    ok: () => [f(12), f(4), f(4), f(12), f(4), f(4), f(4), 3, 4, 1e-3],
    f32: { 0: 'x', 1: 'gamma', 2: 'beta', 3: 'out', 4: 'mean', 5: 'variance', 6: 'rstd' },
    dims: { 7: 'rows', 8: 'cols' },
    cases: [
      ['x too short', set(0, f(11)), /x has 11 elements, expected rows\*cols = 12/],
      ['beta of the wrong length', set(2, f(3)), /beta has 3 elements, expected cols = 4/],
      ['variance too short', set(5, f(3)), /variance has 3 elements, expected cols = 4/],
      ['a negative eps', set(9, -1), /eps must be a non-negative number/],
      ['out aliasing x', same(0, 3), /out must not overlap x/],
      ['rstd overlapping variance', overlapping(5, 6), /variance must not overlap rstd|rstd must not overlap variance/],
    ],
  },
  batchNormBackwardF32: {
    ok: () => [f(12), f(4), f(4), f(4), f(12), f(12), f(4), f(4), 3, 4],
    f32: { 0: 'x', 1: 'gamma', 2: 'mean', 3: 'rstd', 4: 'dy', 5: 'dx', 6: 'dgamma', 7: 'dbeta' },
    dims: { 8: 'rows', 9: 'cols' },
    cases: [
      ['dy too short', set(4, f(11)), /dy has 11 elements, expected rows\*cols = 12/],
      ['rstd of rows, not cols', set(3, f(3)), /rstd has 3 elements, expected cols = 4/],
      ['dx aliasing dy', same(4, 5), /dx must not overlap dy/],
      ['dgamma aliasing dbeta', same(6, 7), /dgamma must not overlap dbeta/],
    ],
  },
  movingAverageF32: {
    ok: () => [f(4), f(4), 0.99],
    f32: { 0: 'avg', 1: 'x' },
    cases: [
      ['x too short', set(1, f(3)), /x has 3 elements, expected the length of avg = 4/],
      ['momentum above 1', set(2, 1.5), /momentum must be a number in \[0, 1\]/],
      ['momentum NaN', set(2, NaN), /momentum must be a number in \[0, 1\]|momentum must be a number/],
      ['x aliasing avg', same(0, 1), /must not overlap/],
    ],
  },
  gemmBatchedF32: {
    // 3 products of [2×4]·[4×5]; b shared (stride 0).
    ok: () => [f(24), f(20), f(30), 2, 5, 4, false, false, 1, 0, 3, 8, 0],
    f32: { 0: 'a', 1: 'b', 2: 'c' },
    dims: { 3: 'm', 4: 'n', 5: 'k', 10: 'batch', 11: 'strideA', 12: 'strideB' },
    cases: [
      [
        'a too short for its stride',
        set(0, f(23)),
        /a has 23 elements, expected at least \(batch-1\)\*strideA \+ m\*k = 24/,
      ],
      [
        'b too short for its stride',
        set(12, 1),
        /b has 20 elements, expected at least \(batch-1\)\*strideB \+ k\*n = 22/,
      ],
      ['c too short', set(2, f(29)), /c has 29 elements, expected batch\*m\*n = 30/],
      ['a huge stride', set(11, 2 ** 31 - 1), /a has 24 elements, expected at least/],
      ['transA not a boolean', set(6, 1), /transA must be a boolean/],
      [
        'c aliasing a',
        (args) => {
          const buf = f(30);
          return args.map((x, j) => (j === 0 || j === 2 ? buf : x));
        },
        /c must not overlap a/,
      ],
    ],
  },
  transposeF32: {
    ok: () => [f(24), f(24), f64(2, 3, 4), f64(2, 0, 1)],
    f32: { 0: 'x', 1: 'out' },
    cases: [
      [
        'perm with a repeat',
        set(3, f64(0, 0, 1)),
        /perm must be a permutation of the 3 axes of shape, got \[0, 0, 1\]/,
      ],
      ['perm out of range', set(3, f64(0, 1, 3)), /perm must be a permutation/],
      ['perm too short', set(3, f64(1, 0)), /perm must be a permutation/],
      ['perm too long', set(3, f64(0, 1, 2, 3)), /perm must be a permutation/],
      ['perm negative', set(3, f64(-1, 0, 1)), /perm\[0\] must be an integer/],
      ['perm fractional', set(3, f64(0.5, 0, 1)), /perm\[0\] must be an integer/],
      ['perm as a plain array', set(3, [2, 0, 1]), /perm must be a Float64Array/],
      ['shape as a Float32Array', set(2, Float32Array.of(2, 3, 4)), /shape must be a Float64Array/],
      ['shape with NaN', set(2, f64(2, NaN, 4)), /shape\[1\] must be an integer .* got NaN/],
      ['x too short', set(0, f(23)), /x has 23 elements, expected prod\(shape\) = 24/],
      ['out too long', set(1, f(25)), /out has 25 elements, expected prod\(shape\) = 24/],
      ['out aliasing x', same(0, 1), /out must not overlap x/],
      [
        'rank 33',
        (a) => [a[0], a[1], new Float64Array(33).fill(1), f64(...Array.from({ length: 33 }, (_, i) => i))],
        /shape has 33 entries, at most 32/,
      ],
    ],
  },
  gatherF32: {
    ok: () => [f(15), Int32Array.of(4, 0, 4, 2), f(12), 3],
    f32: { 0: 'x', 2: 'out' },
    dims: { 3: 'rowSize' },
    cases: [
      ['a negative index', set(1, Int32Array.of(4, -1, 0, 0)), /indices\[1\] = -1 is out of range \[0, 5\)/],
      [
        'an index one past the last row',
        set(1, Int32Array.of(0, 0, 0, 5)),
        /indices\[3\] = 5 is out of range \[0, 5\)/,
      ],
      ['a huge index', set(1, Int32Array.of(2 ** 31 - 1, 0, 0, 0)), /indices\[0\] = 2147483647 is out of range/],
      ['indices as a Float32Array', set(1, Float32Array.of(4, 0, 4, 2)), /indices must be an Int32Array/],
      ['indices as a plain array', set(1, [4, 0, 4, 2]), /indices must be an Int32Array/],
      ['indices undefined', set(1, undefined), /indices must be an Int32Array/],
      ['x not whole rows', set(0, f(16)), /x has 16 elements, not a multiple of rowSize = 3/],
      ['out too short', set(2, f(11)), /out has 11 elements, expected indices.length\*rowSize = 12/],
      ['out aliasing x', (a) => set(2, (a[0] as Float32Array).subarray(0, 12))(a), /out must not overlap x/],
      [
        'out overlapping indices',
        (a) => {
          const buf = new ArrayBuffer(64);
          const idx = new Int32Array(buf, 0, 4);
          idx.set([4, 0, 4, 2]);
          return [a[0], idx, new Float32Array(buf, 12, 12), 3];
        },
        /out must not overlap indices/,
      ],
      ['an empty x with indices', (a) => [f(0), a[1], a[2], 3], /indices\[0\] = 4 is out of range \[0, 0\)/],
    ],
  },
  scatterAddF32: {
    ok: () => [f(12), Int32Array.of(4, 0, 4, 2), f(15), 3],
    f32: { 0: 'x', 2: 'out' },
    dims: { 3: 'rowSize' },
    cases: [
      ['a negative index', set(1, Int32Array.of(-2, 0, 0, 0)), /indices\[0\] = -2 is out of range \[0, 5\)/],
      [
        'an index one past the last row',
        set(1, Int32Array.of(0, 5, 0, 0)),
        /indices\[1\] = 5 is out of range \[0, 5\)/,
      ],
      ['indices as an Int16Array', set(1, Int16Array.of(4, 0, 4, 2)), /indices must be an Int32Array/],
      ['out not whole rows', set(2, f(14)), /out has 14 elements, not a multiple of rowSize = 3/],
      ['x too long', set(0, f(13)), /x has 13 elements, expected indices.length\*rowSize = 12/],
      ['out aliasing x', (a) => set(0, (a[2] as Float32Array).subarray(3, 15))(a), /out must not overlap x/],
      [
        'out overlapping indices',
        (a) => {
          const buf = new ArrayBuffer(80);
          const idx = new Int32Array(buf, 0, 4);
          idx.set([4, 0, 4, 2]);
          return [a[0], idx, new Float32Array(buf, 8, 15), 3];
        },
        /out must not overlap indices/,
      ],
    ],
  },
  adamUpdateF32: {
    ok: () => [f(5), f(5), f(5), f(5), 0.001, 0.9, 0.999, 1e-7, 1, 0],
    f32: { 0: 'param', 1: 'grad', 2: 'm', 3: 'v' },
    cases: [
      ['grad too short', set(1, f(4)), /grad has 4 elements, expected param.length = 5/],
      ['v too long', set(3, f(6)), /v has 6 elements, expected param.length = 5/],
      ['grad the same buffer as param', same(0, 1), /grad must not overlap param/],
      ['v the same buffer as m', same(2, 3), /v must not overlap m/],
      ['m overlapping param', overlapping(0, 2), /m must not overlap param/],
      ['lr a string', set(4, '0.1'), /lr must be a number/],
      ['t undefined', set(8, undefined), /t must be a number/],
      ['weightDecay missing', (a) => a.slice(0, 9), /expected 10 arguments, got 9/],
    ],
  },
  sgdUpdateF32: {
    ok: () => [f(5), f(5), f(5), 0.1, 0.9, false],
    f32: { 0: 'param', 1: 'grad', 2: 'velocity' },
    cases: [
      ['velocity too short with momentum', set(2, f(0)), /velocity has 0 elements, expected param.length = 5/],
      ['velocity the same buffer as param', same(0, 2), /velocity must not overlap param/],
      ['grad the same buffer as param', same(0, 1), /grad must not overlap param/],
      ['nesterov not a boolean', set(5, 0), /nesterov must be a boolean/],
      ['momentum a string', set(4, '0.9'), /momentum must be a number/],
    ],
  },
  rmspropUpdateF32: {
    ok: () => [f(5), f(5), f(5), f(5), f(5), 0.001, 0.9, 0.5, 1e-7, true],
    f32: { 0: 'param', 1: 'grad', 2: 'ms', 3: 'mom', 4: 'mg' },
    cases: [
      ['ms too short', set(2, f(4)), /ms has 4 elements, expected param.length = 5/],
      ['mom empty with momentum', set(3, f(0)), /mom has 0 elements, expected param.length = 5/],
      ['mg empty when centered', set(4, f(0)), /mg has 0 elements, expected param.length = 5/],
      ['mg the same buffer as ms', same(2, 4), /mg must not overlap ms/],
      ['mom overlapping param', overlapping(0, 3), /mom must not overlap param/],
      ['centered not a boolean', set(9, 'yes'), /centered must be a boolean/],
    ],
  },
  adagradUpdateF32: {
    ok: () => [f(5), f(5), f(5), 0.01, 1e-7],
    f32: { 0: 'param', 1: 'grad', 2: 'acc' },
    cases: [
      ['acc too long', set(2, f(6)), /acc has 6 elements, expected param.length = 5/],
      ['acc the same buffer as param', same(0, 2), /acc must not overlap param/],
      ['acc overlapping grad', overlapping(1, 2), /acc must not overlap grad/],
      ['epsilon null', set(4, null), /epsilon must be a number/],
    ],
  },
  applyUpdateF32: {
    // Adam: slots 0 and 1 used, slot 2 may be empty
    ok: () => [Float64Array.of(0, 0.01, 0.9, 0.999, 1e-7, 1, 0), f(5), f(5), f(5), f(5), f(0)],
    f32: { 1: 'param', 2: 'grad', 3: 'slot0', 4: 'slot1', 5: 'slot2' },
    cases: [
      ['rule not a Float64Array', set(0, f(7)), /rule must be a Float64Array/],
      ['rule empty', set(0, new Float64Array(0)), /rule must not be empty/],
      ['rule of 6 numbers', set(0, new Float64Array(6)), /rule must be empty or hold 7 numbers/],
      ['rule kind 4', set(0, Float64Array.of(4, 0.01, 0, 0, 0, 0, 0)), /rule\[0\] must be an update kind code/],
      ['rule lr NaN', set(0, Float64Array.of(1, NaN, 0, 0, 0, 0, 0)), /rule\[1\] is not finite/],
      ['slot1 too short', set(4, f(4)), /slot1 has 4 elements, expected param.length = 5/],
      ['slot0 the same buffer as param', same(1, 3), /slot0 must not overlap param/],
    ],
  },
  // Recurrent cells: batch 2, units 3 (state buffers 6 elements; LSTM gates 24, GRU 18); act tanh, recAct sigmoid.
  lstmCellF32: {
    ok: () => [f(24), f(6), f(6), f(2), f(6), f(6), 2, 3, 3, 2],
    f32: { 0: 'gates', 1: 'cPrev', 2: 'hPrev', 3: 'mask', 4: 'c', 5: 'h' },
    dims: { 6: 'batch', 7: 'units' },
    cases: [
      ...BAD_CODES.map(([name, v]): Spec['cases'][number] => [`act code ${name}`, set(8, v), /^act (code )?must be/]),
      ['recAct one past the last', set(9, 5), /^recAct code must be an integer in \[0, 5\), got 5/],
      ['gates too short', set(0, f(23)), /gates has 23 elements, expected 4\*batch\*units = 24/],
      ['cPrev too long', set(1, f(7)), /cPrev has 7 elements, expected batch\*units = 6/],
      ['mask of the wrong length', set(3, f(3)), /mask has 3 elements, expected batch = 2/],
      ['h too short', set(5, f(5)), /h has 5 elements, expected batch\*units = 6/],
      ['c the same buffer as cPrev', same(1, 4), /c must not overlap cPrev/],
      ['h overlapping c', overlapping(4, 5), /h must not overlap c/],
      ['gates overlapping hPrev', overlapping(2, 0), /gates must not overlap hPrev/],
      [
        'an overflowing batch*units',
        (a) => set(6, 2 ** 31 - 1)(set(7, 2 ** 31 - 1)(a)),
        /gates has 24 elements|overflows/,
      ],
    ],
  },
  lstmCellBackwardF32: {
    ok: () => [f(24), f(6), f(6), f(2), f(6), f(6), f(6), f(24), 2, 3, 3, 2],
    f32: { 0: 'gates', 1: 'cPrev', 2: 'c', 3: 'mask', 4: 'dhOut', 5: 'dh', 6: 'dc', 7: 'dGates' },
    dims: { 8: 'batch', 9: 'units' },
    cases: [
      ['act code one past the last', set(10, 5), /^act code must be an integer in \[0, 5\), got 5/],
      ['dGates too long', set(7, f(25)), /dGates has 25 elements, expected 4\*batch\*units = 24/],
      ['dhOut of the wrong length', set(4, f(5)), /dhOut has 5 elements, expected batch\*units = 6/],
      ['dc too short', set(6, f(5)), /dc has 5 elements, expected batch\*units = 6/],
      ['dh the same buffer as dc', same(5, 6), /dh must not overlap dc|dc must not overlap dh/],
      ['dGates overlapping gates', overlapping(0, 7), /dGates must not overlap gates/],
      ['dh overlapping dhOut', overlapping(4, 5), /dh must not overlap dhOut/],
    ],
  },
  gruCellF32: {
    ok: () => [f(18), f(18), f(9), f(6), f(2), f(6), 2, 3, 3, 2],
    f32: { 0: 'gates', 1: 'rec', 2: 'recBias', 3: 'hPrev', 4: 'mask', 5: 'h' },
    dims: { 6: 'batch', 7: 'units' },
    cases: [
      ['recAct code NaN', set(9, NaN), /^recAct code must be/],
      ['rec too short', set(1, f(17)), /rec has 17 elements, expected 3\*batch\*units = 18/],
      ['recBias of the wrong length', set(2, f(8)), /recBias has 8 elements, expected 3\*units = 9/],
      ['hPrev too long', set(3, f(7)), /hPrev has 7 elements, expected batch\*units = 6/],
      ['rec the same buffer as gates', same(0, 1), /gates must not overlap rec/],
      ['h overlapping hPrev', overlapping(3, 5), /h must not overlap hPrev/],
    ],
  },
  gruCellBackwardF32: {
    ok: () => [f(18), f(18), f(6), f(2), f(6), f(6), f(18), f(18), 2, 3, 3, 2],
    f32: { 0: 'gates', 1: 'rec', 2: 'hPrev', 3: 'mask', 4: 'dhOut', 5: 'dh', 6: 'dGates', 7: 'dRec' },
    dims: { 8: 'batch', 9: 'units' },
    cases: [
      ['act code fractional', set(10, 0.5), /^act code must be/],
      ['dRec too short', set(7, f(17)), /dRec has 17 elements, expected 3\*batch\*units = 18/],
      ['dh too long', set(5, f(7)), /dh has 7 elements, expected batch\*units = 6/],
      ['dRec the same buffer as dGates', same(6, 7), /dGates must not overlap dRec/],
      ['dGates overlapping rec', overlapping(1, 6), /dGates must not overlap rec/],
    ],
  },
  rnnCellF32: {
    ok: () => [f(6), f(6), f(2), f(6), 2, 3, 3],
    f32: { 0: 'gates', 1: 'hPrev', 2: 'mask', 3: 'h' },
    dims: { 4: 'batch', 5: 'units' },
    cases: [
      ...BAD_CODES.map(([name, v]): Spec['cases'][number] => [`act code ${name}`, set(6, v), /^act (code )?must be/]),
      ['gates too short', set(0, f(5)), /gates has 5 elements, expected batch\*units = 6/],
      ['mask too long', set(2, f(3)), /mask has 3 elements, expected batch = 2/],
      ['h the same buffer as gates', same(0, 3), /h must not overlap gates/],
    ],
  },
  rnnCellBackwardF32: {
    ok: () => [f(6), f(2), f(6), f(6), f(6), 2, 3, 3],
    f32: { 0: 'gates', 1: 'mask', 2: 'dhOut', 3: 'dh', 4: 'dGates' },
    dims: { 5: 'batch', 6: 'units' },
    cases: [
      ['act code too large', set(7, 99), /^act code must be/],
      ['dGates too short', set(4, f(5)), /dGates has 5 elements, expected batch\*units = 6/],
      ['dh overlapping gates', overlapping(0, 3), /dh must not overlap gates/],
      ['dGates the same buffer as dh', same(3, 4), /dh must not overlap dGates/],
    ],
  },
  // GRU reset-before: batch 2, units 3 (gates 18, zr and dZR 12, state buffers 6).
  gruResetGatesF32: {
    ok: () => [f(18), f(12), f(6), f(6), 2, 3, 2],
    f32: { 0: 'gates', 1: 'zr', 2: 'hIn', 3: 'rh' },
    dims: { 4: 'batch', 5: 'units' },
    cases: [
      ...BAD_CODES.map(([name, v]): Spec['cases'][number] => [
        `recAct code ${name}`,
        set(6, v),
        /^recAct (code )?must be/,
      ]),
      ['zr too short', set(1, f(11)), /zr has 11 elements, expected 2\*batch\*units = 12/],
      ['gates too long', set(0, f(19)), /gates has 19 elements, expected 3\*batch\*units = 18/],
      ['hIn too short', set(2, f(5)), /hIn has 5 elements, expected batch\*units = 6/],
      ['rh the same buffer as hIn', same(2, 3), /rh must not overlap hIn/],
      ['gates overlapping zr', overlapping(1, 0), /gates must not overlap zr/],
      ['an overflowing batch*units', (a) => set(4, 2 ** 31 - 1)(set(5, 2 ** 31 - 1)(a)), /has \d+ elements|overflows/],
    ],
  },
  gruResetCellF32: {
    ok: () => [f(18), f(6), f(6), f(2), f(6), 2, 3, 3],
    f32: { 0: 'gates', 1: 'recH', 2: 'hPrev', 3: 'mask', 4: 'h' },
    dims: { 5: 'batch', 6: 'units' },
    cases: [
      ['act code one past the last', set(7, 5), /^act code must be an integer in \[0, 5\), got 5/],
      ['recH too long', set(1, f(7)), /recH has 7 elements, expected batch\*units = 6/],
      ['mask of the wrong length', set(3, f(6)), /mask has 6 elements, expected batch = 2/],
      ['h the same buffer as hPrev', same(2, 4), /h must not overlap hPrev/],
      ['gates overlapping recH', overlapping(1, 0), /gates must not overlap recH/],
    ],
  },
  gruResetCellBackwardF32: {
    ok: () => [f(18), f(6), f(2), f(6), f(6), f(6), f(6), f(18), f(12), f(6), 2, 3, 3, 2],
    f32: {
      0: 'gates',
      1: 'hPrev',
      2: 'mask',
      3: 'dhOut',
      4: 'dhIn',
      5: 'recMask',
      6: 'dh',
      7: 'dGates',
      8: 'dZR',
      9: 'dC',
    },
    dims: { 10: 'batch', 11: 'units' },
    cases: [
      ['recAct code NaN', set(13, NaN), /^recAct code must be/],
      ['dZR too long', set(8, f(13)), /dZR has 13 elements, expected 2\*batch\*units = 12/],
      ['dhIn of the wrong length', set(4, f(5)), /dhIn has 5 elements, expected batch\*units = 6/],
      ['recMask of the wrong length', set(5, f(2)), /recMask has 2 elements, expected batch\*units = 6/],
      ['dC too short', set(9, f(5)), /dC has 5 elements, expected batch\*units = 6/],
      ['dh the same buffer as dhIn', same(4, 6), /dh must not overlap dhIn/],
      ['dC overlapping dZR', overlapping(8, 9), /dZR must not overlap dC/],
      ['dGates overlapping recMask', overlapping(5, 7), /dGates must not overlap recMask/],
    ],
  },
  gruResetGatesBackwardF32: {
    ok: () => [f(18), f(6), f(2), f(6), f(18), f(12), f(6), 2, 3, 2],
    f32: { 0: 'gates', 1: 'hIn', 2: 'mask', 3: 'dRh', 4: 'dGates', 5: 'dZR', 6: 'dhIn' },
    dims: { 7: 'batch', 8: 'units' },
    cases: [
      ['recAct code too large', set(9, 99), /^recAct code must be/],
      ['dGates too short', set(4, f(17)), /dGates has 17 elements, expected 3\*batch\*units = 18/],
      ['dRh too long', set(3, f(7)), /dRh has 7 elements, expected batch\*units = 6/],
      ['mask too long', set(2, f(3)), /mask has 3 elements, expected batch = 2/],
      ['dhIn the same buffer as dRh', same(3, 6), /dhIn must not overlap dRh/],
      ['dZR overlapping dhIn', overlapping(5, 6), /dZR must not overlap dhIn/],
    ],
  },
};

const NOT_F32: [string, (n: number) => unknown][] = [
  ['a Float64Array', (n) => new Float64Array(n)],
  ['a plain array', (n) => new Array(n).fill(0)],
  ['undefined', () => undefined],
  ['a string', () => 'data'],
  ['an Int32Array', (n) => new Int32Array(n)],
];
const BAD_DIMS: [string, unknown, RegExp][] = [
  ['negative', -1, /must be an integer in \[0, 2147483647\], got -1/],
  ['fractional', 1.5, /must be an integer in \[0, 2147483647\], got 1.5/],
  ['NaN', NaN, /must be an integer in \[0, 2147483647\], got NaN/],
  ['huge', 2 ** 31, /must be an integer in \[0, 2147483647\]/],
  ['Infinity', Infinity, /must be an integer in \[0, 2147483647\]/],
  ['a string', '3', /must be a number/],
];

describe.skipIf(!nativeLoaded)('bindings reject bad input with an error naming the function', () => {
  const call = (fn: keyof NativeAddon, args: unknown[]) => () => (addon![fn] as (...a: unknown[]) => unknown)(...args);
  const expectError = (fn: keyof NativeAddon, args: unknown[], detail: RegExp | string) => {
    let thrown: unknown;
    try {
      call(fn, args)();
    } catch (err) {
      thrown = err;
    }
    expect(thrown, 'an Error is thrown').toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toMatch(new RegExp(`^${fn}: `));
    expect(message.slice(fn.length + 2)).toMatch(detail);
  };

  for (const [fn, spec] of Object.entries(SPECS) as [keyof NativeAddon, Spec][]) {
    describe(fn, () => {
      it('accepts the valid call', () => expect(call(fn, spec.ok())).not.toThrow());
      it('rejects too few arguments', () => {
        const need = spec.minArgs ?? spec.ok().length;
        expectError(fn, spec.ok().slice(0, need - 1), `expected ${need} arguments, got ${need - 1}`);
      });
      const typeCases = Object.entries(spec.f32).flatMap(([i, name]) =>
        NOT_F32.map(([what, make]) => ({ i: Number(i), name, what, make })),
      );
      it.each(typeCases)('rejects $name as $what', ({ i, name, make }) => {
        const args = spec.ok();
        expectError(fn, set(i, make((args[i] as Float32Array).length))(args), `${name} must be a Float32Array`);
      });
      const dimCases = Object.entries(spec.dims ?? {}).flatMap(([i, name]) =>
        BAD_DIMS.map(([what, v, re]) => ({ i: Number(i), name, what, v, re })),
      );
      it.skipIf(dimCases.length === 0).each(dimCases)('rejects $name $what', ({ i, name, v, re }) => {
        expectError(fn, set(i, v)(spec.ok()), new RegExp(`^${name} ${re.source}`));
      });
      it.each(spec.cases.map(([name, edit, detail]) => ({ name, edit, detail })))(
        'rejects $name',
        ({ edit, detail }) => {
          expectError(fn, edit(spec.ok()), detail);
        },
      );
    });
  }

  it('covers every addon function but gemmF32 (gemm.test.ts), opNames, the thread/info calls, the plan calls (plans.test.ts) and the CUDA ones (test/cuda)', () => {
    const covered = new Set<string>([...Object.keys(SPECS), ...CUDA_FUNCTIONS]);
    const rest = Object.keys(addon!)
      .filter((k) => !covered.has(k))
      .sort();
    expect(rest).toEqual([
      'gemmF32',
      'getNumThreads',
      'info',
      'opNames',
      'planBegin',
      'planEnd',
      'planRun',
      'planRunSteps',
      'setNumThreads',
    ]);
  });
});
