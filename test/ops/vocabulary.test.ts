import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  distinct,
  expectBackendsAgree,
  expectGradsAgree,
  expectTensileError,
  expectTensor,
  flavoredTensor,
  seeded,
  useBackend,
} from '../helpers/ops.js';

// tfjs' tensor vocabulary: logical ops, oneHot, cumsum, topk, gatherND, argMin, moments, multinomial, ranges, random tensors.
describe.each(availableBackends())('tensor vocabulary on %s', (backend) => {
  useBackend(backend);

  it('logical ops on truth values give bool', () => {
    const a = tl.tensor([1, 1, 0, 0]),
      b = tl.tensor([1, 0, 1, 0]);
    expectTensor(tl.logicalAnd(a, b), [1, 0, 0, 0]);
    expectTensor(tl.logicalOr(a, b), [1, 1, 1, 0]);
    expectTensor(tl.logicalXor(a, b), [0, 1, 1, 0]);
    expectTensor(tl.logicalNot(tl.tensor([2, 0, NaN])), [0, 1, 0]);
    expectTensor(tl.notEqual(a, b), [0, 1, 1, 0]);
    expect(tl.logicalAnd(a, 1).dtype).toBe('bool');
    expectTensor(tl.logicalAnd(tl.tensor([[1], [0]]), tl.tensor([1, 1])), [
      [1, 1],
      [0, 0],
    ]);
  });
  it('oneHot: int32 rows, custom values, out-of-range rows off', () => {
    const h = tl.oneHot(tl.tensor([0, 2, 5], undefined, { dtype: 'int32' }), 3);
    expect(h.dtype).toBe('int32');
    expectTensor(h, [
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expectTensor(tl.oneHot(Int32Array.of(1), 2, 5, -1), [[-1, 5]]);
    expect(tl.oneHot(tl.tensor([[1, 0]]), 2).shape).toEqual([1, 2, 2]);
    expectTensileError(() => tl.oneHot([1.5], 3), 'oneHot', 'not an integer');
    expectTensileError(() => tl.oneHot([1], 0), 'oneHot', 'depth');
  });
  it('cumsum, exclusive and reversed, along any axis', () => {
    expectTensor(tl.cumsum(tl.tensor([1, 2, 3])), [1, 3, 6]);
    expectTensor(tl.cumsum(tl.tensor([1, 2, 3]), 0, true), [0, 1, 3]);
    expectTensor(tl.cumsum(tl.tensor([1, 2, 3]), 0, false, true), [6, 5, 3]);
    expectTensor(tl.cumsum(tl.tensor([1, 2, 3]), 0, true, true), [5, 3, 0]);
    expectTensor(
      tl.cumsum(
        tl.tensor([
          [1, 2],
          [3, 4],
        ]),
        0,
      ),
      [
        [1, 2],
        [4, 6],
      ],
    );
    expectTensor(
      tl
        .tensor([
          [1, 2],
          [3, 4],
        ])
        .cumsum(1),
      [
        [1, 3],
        [3, 7],
      ],
    );
    gradcheck((x) => tl.cumsum(x, 1, false, true), [seeded([2, 4], 1)]);
    gradcheck((x) => tl.cumsum(x, 0, true), [seeded([3, 2], 2)]);
  });
  it('topk: largest first, lower index first on ties, gradient through the values', () => {
    const { values, indices } = tl.topk(
      tl.tensor([
        [1, 5, 3, 5],
        [0, -1, 2, 1],
      ]),
      2,
    );
    expectTensor(values, [
      [5, 5],
      [2, 1],
    ]);
    expectTensor(indices, [
      [1, 3],
      [2, 3],
    ]);
    expect(indices.dtype).toBe('int32');
    expect(tl.topk(tl.tensor([1, 2]), 0).values.shape).toEqual([0]);
    expectTensor(tl.topk(tl.tensor([1, NaN, 3]), 1).indices, [1]);
    gradcheck((x) => tl.topk(x, 2).values, [distinct([2, 4], 3)]);
    expectTensileError(() => tl.topk(tl.tensor([1, 2]), 3), 'topk', 'k must be', '[2]');
  });
  it('gatherND picks elements or slices by index tuples', () => {
    const x = tl.tensor([
      [1, 2],
      [3, 4],
    ]);
    expectTensor(
      tl.gatherND(x, [
        [1, 0],
        [0, 1],
      ]),
      [3, 2],
    );
    expectTensor(tl.gatherND(x, [[1]]), [[3, 4]]);
    expectTensor(tl.gatherND(tl.arange(8).reshape([2, 2, 2]), [[[0, 1]], [[1, 0]]]), [[[2, 3]], [[4, 5]]]);
    gradcheck(
      (t) =>
        tl.gatherND(t, [
          [1, 2],
          [0, 0],
          [1, 2],
        ]),
      [seeded([2, 3], 4)],
    );
    expectTensileError(() => tl.gatherND(x, [[2, 0]]), 'gatherND', 'index 2', '[2, 2]');
    expectTensileError(() => tl.gatherND(x, [[0, 0, 0]]), 'gatherND', 'more axes');
  });
  it('argMin, moments', () => {
    expectTensor(
      tl.argMin(
        tl.tensor([
          [4, 1, 3],
          [0, 9, 0],
        ]),
      ),
      [1, 0],
    );
    expectTensor(
      tl
        .tensor([
          [4, 1],
          [0, 9],
        ])
        .argMin(),
      [1, 0],
    );
    const { mean, variance } = tl.moments(
      tl.tensor([
        [1, 2],
        [3, 6],
      ]),
      [0, 1],
    );
    expectTensor(mean, 3);
    expectTensor(variance, 3.5);
    const perCol = tl.moments(
      tl.tensor([
        [1, 2],
        [3, 6],
      ]),
      0,
      true,
    );
    expectTensor(perCol.mean, [[2, 4]]);
    expectTensor(perCol.variance, [[1, 4]]);
    gradcheck((x) => tl.moments(x, 1).variance, [seeded([2, 3], 5)]);
  });
  it('range, linspace', () => {
    expectTensor(tl.range(0, 6, 2), [0, 2, 4]);
    expectTensor(tl.range(3, 0, -1), [3, 2, 1]);
    expectTensor(tl.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    expect(tl.linspace(2, 3, 0).shape).toEqual([0]);
    expectTensileError(() => tl.linspace(0, 1, -1), 'linspace', 'num');
  });
  it('random tensors: seeded, shaped, within range; a seed leaves the global stream alone', () => {
    tl.setSeed(7);
    const a = tl.randomNormal([2000], 1, 2);
    const m = tl.moments(a, 0);
    expect(m.mean.item()).toBeCloseTo(1, 0);
    expect(Math.sqrt(m.variance.item())).toBeCloseTo(2, 0);
    const u = tl.randomUniform([1000], -3, -1).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...u)).toBeLessThan(-1);
    const t = tl.truncatedNormal([1000], 0, 0.5).dataSync();
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(tl.randomUniform([3], 0, 10, 'int32').dtype).toBe('int32');
    tl.setSeed(3);
    const seeded1 = tl.randomNormal([4], 0, 1, 'float32', 99).dataSync();
    const next = tl.randn([2]).dataSync();
    tl.setSeed(3);
    expect(tl.randomNormal([4], 0, 1, 'float32', 99).dataSync()).toEqual(seeded1);
    expect(tl.randn([2]).dataSync()).toEqual(next);
  });
  it('multinomial samples by softmax(logits), or by probabilities when normalized', () => {
    tl.setSeed(1);
    const s = tl.multinomial(
      tl.tensor([
        [0, 100],
        [100, 0],
      ]),
      5,
    );
    expect(s.dtype).toBe('int32');
    expectTensor(s, [
      [1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0],
    ]);
    const counts = [0, 0, 0];
    for (const c of tl.multinomial(tl.tensor([0.2, 0.5, 0.3]), 3000, 5, true).dataSync()) counts[c]++;
    expect(counts[1] / 3000).toBeCloseTo(0.5, 1);
    expect(counts[0] / 3000).toBeCloseTo(0.2, 1);
    expectTensileError(
      () => tl.multinomial(tl.tensor([-1, 1]), 2, undefined, true),
      'multinomial',
      'not a distribution',
    );
  });
});

describe.skipIf(!nativeLoaded)('tensor vocabulary: native vs reference', () => {
  it.each([[[4, 5]], [[1, 7]], [[3, 1]], [[33, 65]]])('shape %j', (shape) => {
    for (const flavor of ['normal', 'large', 'special'] as const) {
      const x = flavoredTensor(shape, 11, flavor);
      expectBackendsAgree((t) => tl.topk(t, 1).values, [x], { bitwise: true });
      expectBackendsAgree(
        (t) =>
          tl.gatherND(t, [
            [0, 0],
            [shape[0] - 1, shape[1] - 1],
          ]),
        [x],
        { bitwise: true },
      );
      expectBackendsAgree((t) => tl.logicalAnd(t, tl.logicalNot(t)), [x], { bitwise: true });
    }
    const x = flavoredTensor(shape, 12, 'normal');
    expectBackendsAgree((t) => tl.cumsum(t, 1), [x], { rtol: 1e-5, atol: 1e-5 });
    expectGradsAgree((t) => tl.cumsum(t, 0, true), [x], { rtol: 1e-5, atol: 1e-5 });
    expectGradsAgree((t) => tl.moments(t, 0).variance, [x], { rtol: 1e-4, atol: 1e-5 });
  });
});
