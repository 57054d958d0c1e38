import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
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

describe.each(availableBackends())('shape ops on %s', (backend) => {
  useBackend(backend);
  const m = tl.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('expandDims and squeeze', () => {
    expect(tl.expandDims(m).shape).toEqual([1, 2, 3]);
    expect(tl.expandDims(m, -1).shape).toEqual([2, 3, 1]);
    expect(m.expandDims(1).shape).toEqual([2, 1, 3]);
    expectTensor(tl.squeeze(tl.zeros([1, 3, 1])), [0, 0, 0]);
    expect(tl.squeeze(tl.zeros([1, 3, 1]), [2]).shape).toEqual([1, 3]);
    expect(tl.squeeze(tl.tensor([[5]])).shape).toEqual([]);
    expectTensileError(() => tl.squeeze(m, 0), 'squeeze', 'axis 0', '[2, 3]');
    expectTensileError(() => tl.expandDims(m, 4), 'expandDims', 'axis 4');
  });
  it('stack and unstack are inverses', () => {
    const s = tl.stack([tl.tensor([1, 2]), tl.tensor([3, 4])], 1);
    expectTensor(s, [
      [1, 3],
      [2, 4],
    ]);
    const parts = tl.unstack(s, 1);
    expect(parts.map((p) => p.arraySync())).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tl.unstack(tl.zeros([0, 2])).length).toBe(0);
    expectTensileError(() => tl.stack([tl.zeros([2]), tl.zeros([3])]), 'stack', '[3]', '[2]');
  });
  it('split into equal parts or given sizes (one -1)', () => {
    expect(tl.split(tl.arange(6), 3).map((t) => t.arraySync())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(tl.split(m, [1, -1], 1).map((t) => t.arraySync())).toEqual([
      [[1], [4]],
      [
        [2, 3],
        [5, 6],
      ],
    ]);
    expect(tl.split(m, [0, 3], 1)[0].shape).toEqual([2, 0]);
    expectTensileError(() => tl.split(tl.arange(5), 2), 'split', 'size 5', '2 equal parts');
    expectTensileError(() => tl.split(m, [1, 1], 1), 'split', 'do not add up to 3');
  });
  it('tile repeats along each axis', () => {
    expectTensor(tl.tile(tl.tensor([[1, 2]]), [2, 2]), [
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(tl.tile(m, [0, 1]).shape).toEqual([0, 3]);
    expectTensileError(() => tl.tile(m, [2]), 'tile', '[2, 3]');
  });
  it('match central differences', () => {
    gradcheck(
      (a, b) => tl.stack([a, b], 1).mul(tl.tensor([[[1, 2]], [[3, 4]]]).reshape([2, 1, 2])),
      [seeded([2, 2], 1), seeded([2, 2], 2)],
    );
    gradcheck((x) => tl.split(x, [1, 2], 1)[1], [seeded([2, 3], 3)]);
    gradcheck((x) => tl.tile(x, [2, 3]), [seeded([2, 2], 4)]);
    gradcheck(
      (x) => tl.unstack(x, 1)[2].mul(tl.squeeze(tl.expandDims(x, 0)).slice([0, 0], [2, 1]).reshape([2])),
      [seeded([2, 3], 5)],
    );
  });
  it('leave inputs unchanged', () => {
    expectPure((x) => tl.tile(x, [2, 1]), [seeded([2, 3], 6)]);
    expectPure((a, b) => tl.stack([a, b]), [seeded([3], 7), seeded([3], 8)]);
  });
});

describe.skipIf(!nativeLoaded)('shape ops: native vs reference', () => {
  const cases: number[][] = [
    [3, 4],
    [1, 5],
    [2, 1, 3],
    [0, 3],
    [33, 65],
  ];
  it.each(cases)('shape %j', (...shape) => {
    for (const flavor of ['normal', 'large', 'special'] as const) {
      const x = flavoredTensor(shape, 9, flavor);
      expectBackendsAgree(
        (t) =>
          tl.tile(
            t,
            shape.map((_, i) => (i === 0 ? 2 : 1)),
          ),
        [x],
        { bitwise: true },
      );
      expectBackendsAgree((t) => tl.stack([t, t], -1), [x], { bitwise: true });
      if (shape[0] > 0) expectBackendsAgree((t) => tl.unstack(t)[0], [x], { bitwise: true });
    }
    if (shape.every((d) => d > 0))
      expectGradsAgree(
        (t) => tl.tile(tl.stack([t, t], 1), shape.map(() => 2).concat(1)),
        [flavoredTensor(shape, 10, 'normal')],
      );
  });
});
