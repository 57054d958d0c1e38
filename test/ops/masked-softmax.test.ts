import { describe, expect, it } from 'vitest';
import { type Tensor, maskedSoftmax, softmax, tensor, zeros } from '../../lib/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  FLAVORS,
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  expectPure,
  expectTensileError,
  expectTensor,
  flavoredTensor,
  seeded,
  useBackend,
} from '../helpers/ops.js';

/** A 0/1 mask of a shape, about a third zeros, seeded. */
const mask01 = (shape: number[], seed: number) =>
  tensor(
    Array.from(seeded(shape, seed).data, (v) => (v > -0.3 ? 1 : 0)),
    shape,
  );
const causal = (t: number) =>
  tensor(
    Array.from({ length: t * t }, (_, i) => (Math.floor(i / t) >= i % t ? 1 : 0)),
    [t, t],
  );

describe.each(availableBackends())('maskedSoftmax on %s', (backend) => {
  useBackend(backend);

  it('masked entries get 0, the rest a softmax of their own', () => {
    expectTensor(maskedSoftmax(tensor([[1, 2, 3]]), tensor([[1, 1, 0]])), [[0.26894142, 0.73105858, 0]]);
    expectTensor(
      maskedSoftmax(
        tensor([
          [1, 2, 3],
          [0, 0, 5],
        ]),
        tensor([1, 0, 1]),
      ),
      [
        [0.11920292, 0, 0.88079708],
        [0.00669285, 0, 0.99330715],
      ],
    );
  });
  it('without a mask it is softmax; a row masked everywhere is uniform (Keras adds −1e9)', () => {
    const x = seeded([3, 5], 2, { lo: -3, hi: 3 });
    expectTensor(maskedSoftmax(x, null), softmax(x).arraySync(), { rtol: 1e-6 });
    expectTensor(maskedSoftmax(tensor([[4, 1e4, -2]]), tensor([[0, 0, 0]])), [[1 / 3, 1 / 3, 1 / 3]]);
  });
  it('a causal mask over [batch, heads, q, k] scores is shared by heads without copying', () => {
    const x = seeded([2, 3, 4, 4], 5, { lo: -2, hi: 2 });
    const y = maskedSoftmax(x, causal(4).reshape([1, 1, 4, 4]));
    const full = maskedSoftmax(x, causal(4));
    expectTensor(y, full.arraySync(), { rtol: 1e-6 });
    const rows = y.arraySync() as number[][][][];
    expect(rows[1][2][0]).toEqual([1, 0, 0, 0]);
    expect(rows[0][1][2][3]).toBe(0);
    const pad = mask01([2, 1, 4, 4], 9);
    expectTensor(maskedSoftmax(x, pad), maskedSoftmax(x, pad.add(zeros([2, 3, 4, 4]))).arraySync(), { rtol: 1e-6 });
  });
  it.each([
    { shape: [3, 5], mask: [3, 5] },
    { shape: [2, 3, 4, 4], mask: [2, 1, 4, 4] },
    { shape: [2, 2, 3, 5], mask: [5] },
  ])('gradient of central differences: $shape with a mask $mask', ({ shape, mask }) => {
    const m = mask01(mask, 11);
    gradcheck((x) => maskedSoftmax(x, m), [seeded(shape, 12, { lo: -2, hi: 2 })]);
  });
  it('rejects a mask of the wrong shape, naming both shapes', () => {
    expectTensileError(() => maskedSoftmax(zeros([2, 3]), zeros([3, 2])), 'maskedSoftmax', '[3, 2]', '[2, 3]');
    expectTensileError(() => maskedSoftmax(zeros([2, 3]), zeros([1, 2, 3])), 'maskedSoftmax', '[1, 2, 3]');
    expectTensileError(() => maskedSoftmax(tensor(1), null), 'maskedSoftmax', 'scalar');
  });
  it('keeps empty shapes and leaves its inputs unchanged', () => {
    expectTensor(maskedSoftmax(zeros([0, 3]), zeros([0, 3])), [], { shape: [0, 3] });
    expectPure((x, m) => maskedSoftmax(x, m), [seeded([3, 4], 1), mask01([3, 4], 2)]);
  });
});

describe.skipIf(!nativeLoaded)('maskedSoftmax native vs reference', () => {
  it.each([
    [[4], [4]],
    [
      [3, 5],
      [3, 5],
    ],
    [
      [2, 4, 3, 7],
      [2, 1, 3, 7],
    ],
    [[2, 3, 33], [33]],
    [[0, 4], [4]],
    [
      [7, 129],
      [7, 129],
    ],
  ])('%j with mask %j', (shape, mshape) => {
    FLAVORS.forEach((f, i) => {
      const x = flavoredTensor(shape, 400 + i, f, 1e4);
      expectBackendsAgree((u, m) => maskedSoftmax(u, m), [x, mask01(mshape, 40 + i)], { rtol: 1e-5, atol: 1e-6 });
    });
  });
  it('gradients with a head-shared mask', () => {
    const m = mask01([2, 1, 4, 6], 3);
    expectGradsAgree((u: Tensor) => maskedSoftmax(u, m), [seeded([2, 3, 4, 6], 4, { lo: -3, hi: 3 })], { atol: 1e-5 });
  });
});
