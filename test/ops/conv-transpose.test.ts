import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../lib/index.js';
import { conv2dTranspose, type Conv2dTransposeOptions } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  expectPure,
  expectSameTensor,
  expectTensileError,
  seeded,
  useBackend,
} from '../helpers/ops.js';

type Pair = [number, number];
interface Case {
  /** The input [n, h, w, in]. */
  x: number[];
  k: Pair;
  filters: number;
  strides?: Pair;
  padding?: 'valid' | 'same';
}

/** Keras' deconv_output_length and the forward conv's leading pad, written out independently of the op. */
function kerasAxis(size: number, k: number, s: number, padding: 'valid' | 'same'): [number, number] {
  if (padding === 'valid') return [size * s + Math.max(k - s, 0), 0];
  const out = size * s;
  return [out, Math.floor(Math.max((size - 1) * s + k - out, 0) / 2)];
}

/** The transposed convolution by its definition (each input pixel scatters kernel·value onto the output), in float64. */
function direct(x: Tensor, w: Tensor, b: Tensor | null, c: Case): Tensor {
  const [n, h, wd, ci] = x.shape;
  const [kh, kw, co] = w.shape;
  const [sh, sw] = c.strides ?? [1, 1];
  const [oh, pt] = kerasAxis(h, kh, sh, c.padding ?? 'valid');
  const [ow, pl] = kerasAxis(wd, kw, sw, c.padding ?? 'valid');
  const acc = new Float64Array(n * oh * ow * co);
  for (let bi = 0; bi < n; bi++)
    for (let iy = 0; iy < h; iy++)
      for (let ix = 0; ix < wd; ix++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const oy = iy * sh - pt + ky,
              ox = ix * sw - pl + kx;
            if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
            for (let o = 0; o < co; o++)
              for (let i = 0; i < ci; i++)
                acc[((bi * oh + oy) * ow + ox) * co + o] +=
                  x.data[((bi * h + iy) * wd + ix) * ci + i] * w.data[((ky * kw + kx) * co + o) * ci + i];
          }
  if (b) for (let i = 0; i < acc.length; i++) acc[i] += b.data[i % co];
  return tensor(Float32Array.from(acc), [n, oh, ow, co]);
}

const opts = (c: Case): Conv2dTransposeOptions => ({ strides: c.strides, padding: c.padding });
const kernelOf = (c: Case): number[] => [...c.k, c.filters, c.x[3]];

// Strides 1, 2 and 3 (and kernels smaller than the stride), both paddings, odd and even kernels, size-1 dims, non-square.
const CASES: Case[] = [
  { x: [1, 3, 3, 1], k: [3, 3], filters: 1 },
  { x: [2, 3, 4, 2], k: [3, 3], filters: 3, padding: 'same' },
  { x: [2, 3, 3, 2], k: [3, 3], filters: 2, strides: [2, 2] },
  { x: [1, 3, 2, 2], k: [3, 3], filters: 2, strides: [2, 2], padding: 'same' },
  { x: [2, 2, 3, 1], k: [2, 2], filters: 3, strides: [3, 3] },
  { x: [1, 3, 3, 2], k: [2, 2], filters: 2, strides: [3, 3], padding: 'same' },
  { x: [1, 2, 3, 2], k: [4, 3], filters: 2, strides: [2, 3], padding: 'same' },
  { x: [1, 1, 1, 1], k: [1, 1], filters: 1 },
  { x: [1, 1, 1, 3], k: [3, 2], filters: 1, strides: [2, 2] },
  { x: [3, 1, 4, 1], k: [1, 3], filters: 1, strides: [1, 2], padding: 'same' },
  { x: [1, 2, 2, 1], k: [2, 2], filters: 2, padding: 'same' },
];
const label = (c: Case) => `x ${c.x} k ${c.k} filters ${c.filters} s ${c.strides ?? 1} ${c.padding ?? 'valid'}`;

describe.each(availableBackends())('conv2dTranspose on %s', (backend) => {
  useBackend(backend);
  it('computes a hand-checked value', () => {
    // Input 2×2 [1, 2; 3, 4], a 2×2 kernel of ones, stride 2: each pixel becomes a 2×2 block of itself.
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expectSameTensor(
      conv2dTranspose(x, tensor([1, 1, 1, 1], [2, 2, 1, 1]), tensor([0.5]), { strides: 2 }),
      tensor(
        [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4].map((v) => v + 0.5),
        [1, 4, 4, 1],
      ),
    );
    // Stride 1, 'valid': overlapping blocks add up (a full convolution).
    expectSameTensor(
      conv2dTranspose(x, tensor([1, 1, 1, 1], [2, 2, 1, 1]), null),
      tensor([1, 3, 2, 4, 10, 6, 3, 7, 4], [1, 3, 3, 1]),
    );
  });
  it.each(CASES.map((c) => [label(c), c] as const))('equals the direct definition: %s', (_l, c) => {
    const x = seeded(c.x, 1),
      w = seeded(kernelOf(c), 2),
      b = seeded([c.filters], 3);
    expectSameTensor(conv2dTranspose(x, w, b, opts(c)), direct(x, w, b, c), { rtol: 1e-5, atol: 1e-5 });
    expectSameTensor(conv2dTranspose(x, w, null, opts(c)), direct(x, w, null, c), { rtol: 1e-5, atol: 1e-5 });
  });
  it.each(CASES.map((c) => [label(c), c] as const))(
    'has the gradient of central differences for x, kernel and bias: %s',
    (_l, c) => {
      const x = seeded(c.x, 4),
        w = seeded(kernelOf(c), 5),
        b = seeded([c.filters], 6);
      gradcheck((xi, wi, bi) => conv2dTranspose(xi, wi, bi, opts(c)), [x, w, b]);
    },
  );
  it('leaves its inputs unchanged', () => {
    const c = CASES[3];
    expectPure(
      (xi, wi, bi) => conv2dTranspose(xi, wi, bi, opts(c)),
      [seeded(c.x, 7), seeded(kernelOf(c), 8), seeded([c.filters], 9)],
    );
  });
  it('gives Keras output shapes', () => {
    const shape = (x: number[], k: number[], o: Conv2dTransposeOptions) =>
      conv2dTranspose(seeded(x, 1), seeded(k, 2), null, o).shape;
    expect(shape([1, 7, 7, 4], [3, 3, 2, 4], {})).toEqual([1, 9, 9, 2]);
    expect(shape([1, 7, 7, 4], [3, 3, 2, 4], { strides: 2 })).toEqual([1, 15, 15, 2]);
    expect(shape([1, 7, 7, 4], [3, 3, 2, 4], { strides: 2, padding: 'same' })).toEqual([1, 14, 14, 2]);
    expect(shape([1, 7, 5, 1], [2, 2, 1, 1], { strides: 3 })).toEqual([1, 21, 15, 1]); // kernel < stride: h·s
    expect(shape([1, 4, 4, 1], [5, 5, 3, 1], { strides: [2, 3], padding: 'same' })).toEqual([1, 8, 12, 3]);
    expect(shape([0, 3, 3, 2], [3, 3, 1, 2], { strides: 2 })).toEqual([0, 7, 7, 1]);
  });
  it('handles empty dimensions: no samples, no input pixels, no channels', () => {
    const zeros = (shape: number[]) => tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
    expectSameTensor(
      conv2dTranspose(seeded([0, 3, 3, 2], 1), seeded([3, 3, 1, 2], 2), null, { strides: 2 }),
      zeros([0, 7, 7, 1]),
    );
    expectSameTensor(
      conv2dTranspose(zeros([1, 0, 3, 2]), seeded([3, 3, 1, 2], 2), seeded([1], 3), { strides: 2 }).sub(seeded([1], 3)),
      zeros([1, 1, 7, 1]),
    );
    expectSameTensor(conv2dTranspose(zeros([1, 2, 2, 0]), zeros([3, 3, 2, 0]), null), zeros([1, 4, 4, 2]));
    gradcheck(
      (xi, wi) => conv2dTranspose(xi, wi, null, { strides: 2 }),
      [seeded([0, 2, 2, 1], 1), seeded([2, 2, 1, 1], 2)],
    );
  });
  it('rejects bad input naming the op and the shapes', () => {
    expectTensileError(
      () => conv2dTranspose(seeded([1, 5, 5, 3], 1), seeded([3, 3, 2, 2], 2), null),
      'conv2dTranspose',
      '3 channels',
      '[3, 3, 2, 2]',
      '[1, 5, 5, 3]',
    );
    expectTensileError(
      () => conv2dTranspose(seeded([5, 5, 3], 1), seeded([3, 3, 1, 3], 2), null),
      'conv2dTranspose',
      'rank 4',
      '[5, 5, 3]',
    );
    expectTensileError(
      () => conv2dTranspose(seeded([1, 5, 5, 3], 1), seeded([3, 3, 3], 2), null),
      'conv2dTranspose',
      'rank 4',
      '[3, 3, 3]',
    );
    expectTensileError(
      () => conv2dTranspose(seeded([1, 5, 5, 1], 1), seeded([3, 3, 2, 1], 2), seeded([3], 3)),
      'conv2dTranspose',
      'bias of shape [2]',
      '[3]',
    );
    expectTensileError(
      () => conv2dTranspose(seeded([1, 5, 5, 1], 1), seeded([3, 3, 2, 1], 2), null, { strides: 0 }),
      'conv2dTranspose',
      'strides',
    );
    expectTensileError(
      () => conv2dTranspose(seeded([1, 5, 5, 1], 1), seeded([3, 3, 2, 1], 2), null, { dilationRate: 2 }),
      'conv2dTranspose',
      'dilationRate 1',
      '[2, 2]',
    );
    expectTensileError(
      () => conv2dTranspose(seeded([1, 5, 5, 1], 1), seeded([3, 3, 2, 1], 2), null, { padding: 'full' as 'same' }),
      'conv2dTranspose',
      'padding',
    );
    expectTensileError(
      () => conv2dTranspose(seeded([1, 5, 5, 1], 1), seeded([3, 3, 2, 2], 2), null, { name: 'deconv_1' }),
      'deconv_1',
      '1 channels',
    );
  });
});

describe.skipIf(!nativeLoaded)('conv2dTranspose native vs reference', () => {
  // kh·kw·filters ≤ 32 takes the native direct kernel, larger ones im2col + GEMM; a batch large enough for chunks.
  const MORE: Case[] = [
    ...CASES,
    { x: [2, 5, 6, 8], k: [3, 3], filters: 16, strides: [2, 2], padding: 'same' },
    { x: [3, 4, 4, 43], k: [3, 3], filters: 3, strides: [2, 1] },
    { x: [9, 16, 16, 8], k: [4, 4], filters: 16, strides: [2, 2], padding: 'same' },
  ];
  it.each(MORE.map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const x = seeded(c.x, 11),
      w = seeded(kernelOf(c), 12),
      b = seeded([c.filters], 13);
    expectBackendsAgree((xi, wi, bi) => conv2dTranspose(xi, wi, bi, opts(c)), [x, w, b], { rtol: 1e-4, atol: 1e-5 });
    expectGradsAgree((xi, wi, bi) => conv2dTranspose(xi, wi, bi, opts(c)), [x, w, b], { rtol: 1e-4, atol: 1e-4 });
  });
  it('propagates NaN and Infinity', () => {
    const x = tensor([NaN, 1, Infinity, 0, 2, -1, 3, 1, 0], [1, 3, 3, 1]);
    expectBackendsAgree(
      (xi, wi) => conv2dTranspose(xi, wi, null, { strides: 2, padding: 'same' }),
      [x, tensor([1, 0, 0, 1], [2, 2, 1, 1])],
    );
  });
});
