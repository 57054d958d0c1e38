import { describe, expect, it } from 'vitest';
import { DENSE_ACTIVATIONS } from '../../lib/backend/kinds.js';
import { tensor, type Tensor } from '../../lib/index.js';
import { conv2d, type Conv2dOptions, depthwiseConv2d } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  expectSameTensor,
  expectTensileError,
  seeded,
  useBackend,
} from '../helpers/ops.js';

type Pair = [number, number];
interface Case {
  x: number[];
  k: Pair;
  cout: number;
  strides?: Pair;
  padding?: 'valid' | 'same';
  dilation?: Pair;
}

/** Keras' output size and leading pad, written out independently of lib/ops/window.ts. */
function kerasAxis(size: number, k: number, s: number, d: number, padding: 'valid' | 'same'): [number, number] {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return [Math.ceil((size - span + 1) / s), 0];
  const out = Math.ceil(size / s);
  return [out, Math.floor(Math.max((out - 1) * s + span - size, 0) / 2)];
}

/** Direct convolution by its definition, in float64. */
function direct(x: Tensor, w: Tensor, b: Tensor | null, c: Case): Tensor {
  const [n, h, wd, ci] = x.shape;
  const [kh, kw, , co] = w.shape;
  const [sh, sw] = c.strides ?? [1, 1];
  const [dh, dw] = c.dilation ?? [1, 1];
  const [oh, pt] = kerasAxis(h, kh, sh, dh, c.padding ?? 'valid');
  const [ow, pl] = kerasAxis(wd, kw, sw, dw, c.padding ?? 'valid');
  const out = new Float32Array(n * oh * ow * co);
  for (let bi = 0; bi < n; bi++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let o = 0; o < co; o++) {
          let s = b ? b.data[o] : 0;
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * sh - pt + ky * dh,
                ix = ox * sw - pl + kx * dw;
              if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
              for (let i = 0; i < ci; i++)
                s += x.data[((bi * h + iy) * wd + ix) * ci + i] * w.data[((ky * kw + kx) * ci + i) * co + o];
            }
          out[((bi * oh + oy) * ow + ox) * co + o] = s;
        }
  return tensor(out, [n, oh, ow, co]);
}

const opts = (c: Case): Conv2dOptions => ({ strides: c.strides, padding: c.padding, dilationRate: c.dilation });

// 1×1 kernels, stride > kernel, 'same' with even kernels (the extra pixel after), dilation, batch 1, non-square everything.
const CASES: Case[] = [
  { x: [1, 5, 5, 1], k: [3, 3], cout: 1 },
  { x: [2, 6, 7, 3], k: [3, 3], cout: 4, padding: 'same' },
  { x: [2, 5, 4, 3], k: [1, 1], cout: 5 },
  { x: [1, 5, 5, 2], k: [1, 1], cout: 3, strides: [2, 2] },
  { x: [2, 9, 8, 2], k: [2, 2], cout: 3, strides: [3, 3] },
  { x: [1, 6, 5, 2], k: [2, 2], cout: 2, padding: 'same' },
  { x: [2, 7, 6, 2], k: [4, 3], cout: 3, padding: 'same', strides: [2, 3] },
  { x: [1, 8, 7, 2], k: [3, 2], cout: 2, dilation: [2, 3] },
  { x: [2, 7, 7, 1], k: [3, 3], cout: 2, padding: 'same', dilation: [2, 2] },
  { x: [3, 4, 4, 3], k: [4, 4], cout: 2 },
];
const label = (c: Case) => `x ${c.x} k ${c.k} s ${c.strides ?? 1} ${c.padding ?? 'valid'} d ${c.dilation ?? 1}`;

describe.each(availableBackends())('conv2d on %s', (backend) => {
  useBackend(backend);
  it('computes a hand-checked value', () => {
    // 3×3 input 1..9, a 2×2 kernel of ones: each output is the sum of a 2×2 block; bias 0.5.
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = conv2d(x, tensor([1, 1, 1, 1], [2, 2, 1, 1]), tensor([0.5]));
    expectSameTensor(y, tensor([12.5, 16.5, 24.5, 28.5], [1, 2, 2, 1]));
    // 'same' with an even kernel pads after: the last row and column see zeros.
    expectSameTensor(
      conv2d(x, tensor([1, 1, 1, 1], [2, 2, 1, 1]), null, { padding: 'same' }),
      tensor([12, 16, 9, 24, 28, 15, 15, 17, 9], [1, 3, 3, 1]),
    );
  });
  it.each(CASES.map((c) => [label(c), c] as const))('equals the direct definition: %s', (_l, c) => {
    const x = seeded(c.x, 1),
      w = seeded([...c.k, c.x[3], c.cout], 2),
      b = seeded([c.cout], 3);
    expectSameTensor(conv2d(x, w, b, opts(c)), direct(x, w, b, c), { rtol: 1e-5, atol: 1e-5 });
  });
  it.each(CASES.slice(0, 8).map((c) => [label(c), c] as const))(
    'has the gradient of central differences for x, kernel and bias: %s',
    (_l, c) => {
      const x = seeded(c.x, 4),
        w = seeded([...c.k, c.x[3], c.cout], 5),
        b = seeded([c.cout], 6);
      gradcheck((xi, wi, bi) => conv2d(xi, wi, bi, opts(c)), [x, w, b]);
    },
  );
  it.each(DENSE_ACTIVATIONS)('fuses %s: the same as the activation after a linear conv, gradients included', (act) => {
    const c = CASES[1];
    const x = seeded(c.x, 7, { avoid: [0] }),
      w = seeded([...c.k, c.x[3], c.cout], 8),
      b = tensor([0.31, -0.27, 0.13, 0.4]);
    const ACT: Record<string, (t: Tensor) => Tensor> = {
      linear: (t) => t,
      relu: (t) => t.relu(),
      sigmoid: (t) => t.sigmoid(),
      tanh: (t) => t.tanh(),
      softmax: (t) => t.softmax(),
    };
    expectSameTensor(conv2d(x, w, b, { ...opts(c), activation: act }), ACT[act](conv2d(x, w, b, opts(c))), {
      rtol: 1e-5,
      atol: 1e-6,
    });
    gradcheck(
      (xi, wi, bi) => conv2d(xi, wi, bi, { ...opts(c), activation: act }),
      [seeded([1, 4, 4, 2], 9), seeded([3, 3, 2, 2], 10), tensor([0.2, -0.3])],
      { eps: 1e-3 },
    ); // a small step: no pre-activation of these seeded inputs is within 1e-3 of relu's kink
  });
  it('gives Keras output shapes', () => {
    const shape = (x: number[], k: number[], o: Conv2dOptions) => conv2d(seeded(x, 1), seeded(k, 2), null, o).shape;
    expect(shape([1, 28, 28, 1], [3, 3, 1, 32], {})).toEqual([1, 26, 26, 32]);
    expect(shape([1, 28, 28, 1], [3, 3, 1, 2], { padding: 'same' })).toEqual([1, 28, 28, 2]);
    expect(shape([1, 28, 28, 1], [3, 3, 1, 2], { padding: 'same', strides: 2 })).toEqual([1, 14, 14, 2]);
    expect(shape([1, 7, 7, 1], [3, 3, 1, 2], { padding: 'same', strides: 2 })).toEqual([1, 4, 4, 2]);
    expect(shape([1, 7, 7, 1], [3, 3, 1, 2], { strides: 2 })).toEqual([1, 3, 3, 2]);
    expect(shape([1, 8, 8, 1], [2, 2, 1, 2], { strides: 3 })).toEqual([1, 3, 3, 2]);
    expect(shape([1, 9, 9, 1], [3, 3, 1, 1], { dilationRate: 3 })).toEqual([1, 3, 3, 1]);
    expect(shape([0, 5, 5, 2], [3, 3, 2, 1], {})).toEqual([0, 3, 3, 1]);
  });
  it('rejects bad input naming the op and the shapes', () => {
    expectTensileError(
      () => conv2d(seeded([1, 2, 2, 1], 1), seeded([3, 3, 1, 1], 2), null),
      'conv2d',
      'kernel [3, 3]',
      'input [1, 2, 2, 1]',
      "'valid'",
    );
    expectTensileError(
      () => conv2d(seeded([1, 5, 5, 1], 1), seeded([3, 3, 1, 1], 2), null, { dilationRate: 3 }),
      'conv2d',
      'dilation [3, 3]',
    );
    expectTensileError(
      () => conv2d(seeded([1, 5, 5, 3], 1), seeded([3, 3, 2, 1], 2), null),
      'conv2d',
      '3 channels',
      '[3, 3, 2, 1]',
      '[1, 5, 5, 3]',
    );
    expectTensileError(
      () => conv2d(seeded([5, 5, 3], 1), seeded([3, 3, 3, 1], 2), null),
      'conv2d',
      'rank 4',
      '[5, 5, 3]',
    );
    expectTensileError(
      () => conv2d(seeded([1, 5, 5, 1], 1), seeded([3, 3, 1, 2], 2), seeded([3], 3)),
      'conv2d',
      'bias of shape [2]',
      '[3]',
    );
    expectTensileError(
      () => conv2d(seeded([1, 5, 5, 1], 1), seeded([3, 3, 1, 2], 2), null, { strides: 0 }),
      'conv2d',
      'strides',
    );
    expectTensileError(
      () => conv2d(seeded([1, 5, 5, 1], 1), seeded([3, 3, 1, 2], 2), null, { strides: 2, dilationRate: 2 }),
      'conv2d',
      'cannot both',
    );
    expectTensileError(
      () => conv2d(seeded([1, 5, 5, 1], 1), seeded([3, 3, 1, 2], 2), null, { padding: 'full' as 'same' }),
      'conv2d',
      'padding',
    );
    expectTensileError(
      () => conv2d(seeded([1, 2, 2, 1], 1), seeded([3, 3, 1, 1], 2), null, { name: 'conv2d_3' }),
      'conv2d_3',
      'kernel [3, 3]',
    );
  });
});

describe.skipIf(!nativeLoaded)('conv2d native vs reference', () => {
  // The native kernel convolves directly when kh·kw·c ≤ 32: these cover its 16- and 8-channel tiles and the
  // channels left over (43 = 16 + 16 + 8 + 3), fields inside x and reaching into the padding, and strides.
  const DIRECT: Case[] = [
    { x: [3, 9, 8, 1], k: [3, 3], cout: 43, padding: 'same' },
    { x: [2, 7, 9, 3], k: [3, 3], cout: 24, strides: [2, 1] },
  ];
  const MORE: Case[] = [
    ...CASES,
    ...DIRECT,
    { x: [1, 1, 1, 1], k: [1, 1], cout: 1 },
    { x: [4, 12, 12, 8], k: [3, 3], cout: 16, padding: 'same' },
    { x: [0, 4, 4, 2], k: [3, 3], cout: 2 },
  ];
  it.each(MORE.map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const x = seeded(c.x, 11),
      w = seeded([...c.k, c.x[3], c.cout], 12),
      b = seeded([c.cout], 13);
    for (const act of ['linear', 'relu'] as const) {
      expectBackendsAgree((xi, wi, bi) => conv2d(xi, wi, bi, { ...opts(c), activation: act }), [x, w, b], {
        rtol: 1e-4,
        atol: 1e-5,
      });
      expectGradsAgree((xi, wi, bi) => conv2d(xi, wi, bi, { ...opts(c), activation: act }), [x, w, b], {
        rtol: 1e-4,
        atol: 1e-4,
      });
    }
    expectGradsAgree((xi, wi) => conv2d(xi, wi, null, opts(c)), [x, w], { rtol: 1e-4, atol: 1e-4 });
  });
  it.each(['sigmoid', 'tanh', 'softmax'] as const)(
    'applies %s after a direct convolution, with its gradient',
    (act) => {
      const c = DIRECT[0],
        x = seeded(c.x, 14),
        w = seeded([...c.k, c.x[3], c.cout], 15),
        b = seeded([c.cout], 16);
      expectBackendsAgree((xi, wi, bi) => conv2d(xi, wi, bi, { ...opts(c), activation: act }), [x, w, b], {
        rtol: 1e-4,
        atol: 1e-5,
      });
      expectGradsAgree((xi, wi, bi) => conv2d(xi, wi, bi, { ...opts(c), activation: act }), [x, w, b], {
        rtol: 1e-4,
        atol: 1e-4,
      });
    },
  );
  it('splits a large batch into chunks of im2col rows (native) with the same results and gradients', () => {
    // 9 samples of 62·62 rows × 144 columns: more than the native kernel's 256k-float im2col budget, so several chunks.
    const x = seeded([9, 64, 64, 16], 21),
      w = seeded([3, 3, 16, 4], 22),
      b = seeded([4], 23);
    expectBackendsAgree((xi, wi, bi) => conv2d(xi, wi, bi), [x, w, b], { rtol: 1e-4, atol: 1e-4 });
    expectGradsAgree((xi, wi, bi) => conv2d(xi, wi, bi, { activation: 'relu' }), [x, w, b], { rtol: 1e-3, atol: 1e-3 });
  });
  it('propagates NaN and Infinity', () => {
    const x = tensor([NaN, 1, Infinity, 0, 2, -1, 3, 1, 0], [1, 3, 3, 1]);
    expectBackendsAgree((xi, wi) => conv2d(xi, wi, null, { padding: 'same' }), [x, tensor([1, 0, 0, 1], [2, 2, 1, 1])]);
  });
});

// ---- depthwiseConv2d ------------------------------------------------------------------------------

/** Depthwise convolution by its definition, in float64: output channel ci·mult + m sees only input channel ci. */
function directDepthwise(x: Tensor, w: Tensor, b: Tensor | null, c: Case): Tensor {
  const [n, h, wd, ci] = x.shape;
  const [kh, kw, , mult] = w.shape;
  const [sh, sw] = c.strides ?? [1, 1];
  const [dh, dw] = c.dilation ?? [1, 1];
  const [oh, pt] = kerasAxis(h, kh, sh, dh, c.padding ?? 'valid');
  const [ow, pl] = kerasAxis(wd, kw, sw, dw, c.padding ?? 'valid');
  const co = ci * mult;
  const out = new Float32Array(n * oh * ow * co);
  for (let bi = 0; bi < n; bi++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let i = 0; i < ci; i++)
          for (let m = 0; m < mult; m++) {
            let s = b ? b.data[i * mult + m] : 0;
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = oy * sh - pt + ky * dh,
                  ix = ox * sw - pl + kx * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                s += x.data[((bi * h + iy) * wd + ix) * ci + i] * w.data[((ky * kw + kx) * ci + i) * mult + m];
              }
            out[((bi * oh + oy) * ow + ox) * co + i * mult + m] = s;
          }
  return tensor(out, [n, oh, ow, co]);
}

// The conv2d cases with cout read as the depth multiplier.
const dwKernel = (c: Case): number[] => [...c.k, c.x[3], c.cout];

describe.each(availableBackends())('depthwiseConv2d on %s', (backend) => {
  useBackend(backend);
  it('computes a hand-checked value: each channel with its own kernel', () => {
    // Two channels: 1..4 and 10·(1..4); kernels of ones (channel 0) and of twos (channel 1), multiplier 1.
    const x = tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const w = tensor([1, 2, 1, 2, 1, 2, 1, 2], [2, 2, 2, 1]);
    expectSameTensor(depthwiseConv2d(x, w, tensor([0.5, -1])), tensor([10.5, 199], [1, 1, 1, 2]));
  });
  it.each(CASES.map((c) => [label(c), c] as const))('equals the direct definition: %s', (_l, c) => {
    const x = seeded(c.x, 1),
      w = seeded(dwKernel(c), 2),
      b = seeded([c.x[3] * c.cout], 3);
    expectSameTensor(depthwiseConv2d(x, w, b, opts(c)), directDepthwise(x, w, b, c), { rtol: 1e-5, atol: 1e-5 });
    expectSameTensor(depthwiseConv2d(x, w, null, opts(c)), directDepthwise(x, w, null, c), { rtol: 1e-5, atol: 1e-5 });
  });
  it.each(CASES.slice(0, 8).map((c) => [label(c), c] as const))(
    'has the gradient of central differences for x, kernel and bias: %s',
    (_l, c) => {
      const x = seeded(c.x, 4),
        w = seeded(dwKernel(c), 5),
        b = seeded([c.x[3] * c.cout], 6);
      gradcheck((xi, wi, bi) => depthwiseConv2d(xi, wi, bi, opts(c)), [x, w, b]);
    },
  );
  it('gives Keras output shapes (channels · depthMultiplier)', () => {
    const shape = (x: number[], k: number[], o: Conv2dOptions) =>
      depthwiseConv2d(seeded(x, 1), seeded(k, 2), null, o).shape;
    expect(shape([1, 28, 28, 3], [3, 3, 3, 1], {})).toEqual([1, 26, 26, 3]);
    expect(shape([1, 28, 28, 3], [3, 3, 3, 2], { padding: 'same' })).toEqual([1, 28, 28, 6]);
    expect(shape([1, 7, 7, 2], [3, 3, 2, 4], { padding: 'same', strides: 2 })).toEqual([1, 4, 4, 8]);
    expect(shape([1, 7, 7, 1], [3, 3, 1, 2], { strides: 2 })).toEqual([1, 3, 3, 2]);
    expect(shape([1, 9, 9, 2], [3, 3, 2, 1], { dilationRate: 3 })).toEqual([1, 3, 3, 2]);
    expect(shape([0, 5, 5, 2], [3, 3, 2, 3], {})).toEqual([0, 3, 3, 6]);
  });
  it('rejects bad input naming the op and the shapes', () => {
    expectTensileError(
      () => depthwiseConv2d(seeded([1, 2, 2, 1], 1), seeded([3, 3, 1, 1], 2), null),
      'depthwiseConv2d',
      'kernel [3, 3]',
      'input [1, 2, 2, 1]',
      "'valid'",
    );
    expectTensileError(
      () => depthwiseConv2d(seeded([1, 5, 5, 3], 1), seeded([3, 3, 2, 1], 2), null),
      'depthwiseConv2d',
      '3 channels',
      '[3, 3, 2, 1]',
      '[1, 5, 5, 3]',
    );
    expectTensileError(
      () => depthwiseConv2d(seeded([5, 5, 3], 1), seeded([3, 3, 3, 1], 2), null),
      'depthwiseConv2d',
      'rank 4',
      '[5, 5, 3]',
    );
    expectTensileError(
      () => depthwiseConv2d(seeded([1, 5, 5, 3], 1), seeded([3, 3, 3], 2), null),
      'depthwiseConv2d',
      'rank 4',
      '[3, 3, 3]',
    );
    expectTensileError(
      () => depthwiseConv2d(seeded([1, 5, 5, 2], 1), seeded([3, 3, 2, 2], 2), seeded([2], 3)),
      'depthwiseConv2d',
      'bias of shape [4]',
      '[2]',
    );
    expectTensileError(
      () => depthwiseConv2d(seeded([1, 5, 5, 1], 1), seeded([3, 3, 1, 2], 2), null, { strides: 2, dilationRate: 2 }),
      'depthwiseConv2d',
      'cannot both',
    );
    expectTensileError(
      () => depthwiseConv2d(seeded([1, 2, 2, 1], 1), seeded([3, 3, 1, 1], 2), null, { name: 'dw_3' }),
      'dw_3',
      'kernel [3, 3]',
    );
  });
});

describe.skipIf(!nativeLoaded)('depthwiseConv2d native vs reference', () => {
  const MORE: Case[] = [
    ...CASES,
    { x: [1, 1, 1, 1], k: [1, 1], cout: 1 },
    { x: [4, 12, 12, 8], k: [3, 3], cout: 2, padding: 'same' },
  ];
  it.each(MORE.map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const x = seeded(c.x, 11),
      w = seeded(dwKernel(c), 12),
      b = seeded([c.x[3] * c.cout], 13);
    expectBackendsAgree((xi, wi, bi) => depthwiseConv2d(xi, wi, bi, opts(c)), [x, w, b], { rtol: 1e-4, atol: 1e-5 });
    expectGradsAgree((xi, wi, bi) => depthwiseConv2d(xi, wi, bi, opts(c)), [x, w, b], { rtol: 1e-4, atol: 1e-4 });
  });
});
