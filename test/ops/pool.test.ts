import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../lib/index.js';
import { avgPool2d, maxPool2d, type Pool2dOptions } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  distinct,
  expectBackendsAgree,
  expectGradsAgree,
  expectSameTensor,
  expectTensileError,
  seeded,
  useBackend,
} from '../helpers/ops.js';

const POOLS = { max: maxPool2d, avg: avgPool2d } as const;
type Kind = keyof typeof POOLS;

/** Pooling by its definition: windows clipped to the input, avg over the pixels inside (TensorFlow's rule). */
function direct(
  kind: Kind,
  x: Tensor,
  o: { pool: [number, number]; strides?: [number, number]; padding?: 'valid' | 'same' },
): Tensor {
  const [n, h, w, c] = x.shape;
  const [kh, kw] = o.pool;
  const [sh, sw] = o.strides ?? o.pool;
  const axis = (size: number, k: number, s: number): [number, number] => {
    if ((o.padding ?? 'valid') === 'valid') return [Math.ceil((size - k + 1) / s), 0];
    const out = Math.ceil(size / s);
    return [out, Math.floor(Math.max((out - 1) * s + k - size, 0) / 2)];
  };
  const [oh, pt] = axis(h, kh, sh),
    [ow, pl] = axis(w, kw, sw);
  const out = new Float32Array(n * oh * ow * c);
  const xv = x.dataSync();
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ci = 0; ci < c; ci++) {
          const vals: number[] = [];
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * sh - pt + ky,
                ix = ox * sw - pl + kx;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) vals.push(xv[((b * h + iy) * w + ix) * c + ci]);
            }
          out[((b * oh + oy) * ow + ox) * c + ci] =
            kind === 'max' ? Math.max(...vals) : vals.reduce((p, q) => p + q, 0) / vals.length;
        }
  return tensor(out, [n, oh, ow, c]);
}

interface Case {
  x: number[];
  pool: [number, number];
  strides?: [number, number];
  padding?: 'valid' | 'same';
}
const CASES: Case[] = [
  { x: [1, 4, 4, 1], pool: [2, 2] },
  { x: [2, 5, 5, 3], pool: [2, 2] },
  { x: [2, 5, 5, 3], pool: [2, 2], padding: 'same' },
  { x: [1, 7, 6, 2], pool: [3, 3], strides: [2, 2], padding: 'same' },
  { x: [2, 6, 7, 2], pool: [3, 2], strides: [1, 1] },
  { x: [1, 9, 9, 2], pool: [2, 2], strides: [3, 3] },
  { x: [1, 5, 4, 2], pool: [1, 1] },
  { x: [1, 6, 6, 1], pool: [4, 4], strides: [1, 3], padding: 'same' },
];
const opts = (c: Case): Pool2dOptions => ({ poolSize: c.pool, strides: c.strides, padding: c.padding });
const label = (c: Case) => `x ${c.x} pool ${c.pool} s ${c.strides ?? 'pool'} ${c.padding ?? 'valid'}`;
const CROSS = (['max', 'avg'] as const).flatMap((k) => CASES.map((c) => [k, label(c), c] as const));

describe.each(availableBackends())('pooling on %s', (backend) => {
  useBackend(backend);
  it('computes hand-checked values', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expectSameTensor(maxPool2d(x, { poolSize: 2, strides: 1 }), tensor([5, 6, 8, 9], [1, 2, 2, 1]));
    expectSameTensor(avgPool2d(x, { poolSize: 2, strides: 1 }), tensor([3, 4, 6, 7], [1, 2, 2, 1]));
    // 'same', pool 2, stride 2 on 3×3: windows after the last row/column hold fewer pixels, and avg divides by those.
    expectSameTensor(avgPool2d(x, { poolSize: 2, padding: 'same' }), tensor([3, 4.5, 7.5, 9], [1, 2, 2, 1]));
    expectSameTensor(
      maxPool2d(tensor([-3, -1, -2, -4], [1, 2, 2, 1]), { padding: 'same', poolSize: 3 }),
      tensor([-1], [1, 1, 1, 1]),
    );
  });
  it.each(CROSS)('%s equals the definition: %s', (kind, _l, c) => {
    const x = seeded(c.x, 1);
    expectSameTensor(
      POOLS[kind](x, opts(c)),
      direct(kind, x, { pool: c.pool, strides: c.strides, padding: c.padding }),
      { rtol: 1e-6, atol: 1e-6 },
    );
  });
  it.each(CROSS)('%s has the gradient of central differences: %s', (kind, _l, c) => {
    // Pairwise distinct values 0.1 apart: no max tie, and no ±eps step changes which value is largest.
    gradcheck((xi) => POOLS[kind](xi, opts(c)), [distinct(c.x, 3)], { eps: 1e-3 });
  });
  it('gives the whole gradient of a tied window to its first maximum', () => {
    const x = tensor([1, 1, 1, 1], [1, 2, 2, 1], { requiresGrad: true });
    maxPool2d(x).sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([1, 0, 0, 0]);
  });
  it('gives Keras output shapes', () => {
    const shape = (x: number[], o: Pool2dOptions) => maxPool2d(seeded(x, 1), o).shape;
    expect(shape([1, 26, 26, 32], {})).toEqual([1, 13, 13, 32]);
    expect(shape([1, 11, 11, 4], {})).toEqual([1, 5, 5, 4]);
    expect(shape([1, 11, 11, 4], { padding: 'same' })).toEqual([1, 6, 6, 4]);
    expect(shape([1, 11, 11, 4], { poolSize: 3, strides: 2 })).toEqual([1, 5, 5, 4]);
    expect(shape([1, 10, 7, 4], { poolSize: [3, 1], strides: [3, 2], padding: 'same' })).toEqual([1, 4, 4, 4]);
  });
  it('rejects bad input naming the op and the shapes', () => {
    expectTensileError(() => maxPool2d(seeded([1, 1, 3, 2], 1)), 'maxPool2d', 'pool size [2, 2]', '[1, 1, 3, 2]');
    expectTensileError(() => avgPool2d(seeded([4, 4, 2], 1)), 'avgPool2d', 'rank 4', '[4, 4, 2]');
    expectTensileError(() => maxPool2d(seeded([1, 4, 4, 2], 1), { poolSize: [2, 0] }), 'maxPool2d', 'poolSize');
    expectTensileError(
      () => maxPool2d(seeded([1, 1, 3, 2], 1), { name: 'max_pooling2d_1' }),
      'max_pooling2d_1',
      'pool size',
    );
  });
});

describe.skipIf(!nativeLoaded)('pooling native vs reference', () => {
  const MORE: Case[] = [
    ...CASES,
    { x: [4, 13, 13, 32], pool: [2, 2] },
    { x: [0, 4, 4, 2], pool: [2, 2] },
    { x: [1, 1, 1, 1], pool: [1, 1] },
  ];
  it.each((['max', 'avg'] as const).flatMap((k) => MORE.map((c) => [k, label(c), c] as const)))(
    '%s %s',
    (kind, _l, c) => {
      const x = seeded(c.x, 5);
      expectBackendsAgree((xi) => POOLS[kind](xi, opts(c)), [x], { rtol: 1e-6, atol: 1e-6 });
      expectGradsAgree((xi) => POOLS[kind](xi, opts(c)), [x], { rtol: 1e-6, atol: 1e-6 });
    },
  );
  it('agrees on ties, NaN and Infinity', () => {
    const x = tensor([NaN, 1, 1, -Infinity, 2, 2, Infinity, NaN, 0, 0, 0, 0, 3, NaN, -1, 5], [1, 4, 4, 1]);
    for (const kind of ['max', 'avg'] as const) {
      expectBackendsAgree((xi) => POOLS[kind](xi, { poolSize: 2, strides: 1 }), [x]);
      expectGradsAgree((xi) => POOLS[kind](xi, { poolSize: 2, strides: 1 }), [x]);
    }
  });
});
