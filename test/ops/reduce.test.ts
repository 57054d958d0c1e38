import { describe, expect, it } from 'vitest';
import {
  type ReduceOptions,
  type Tensor,
  arange,
  argmax,
  broadcastTo,
  max,
  mean,
  min,
  reshape,
  sum,
  tensor,
} from '../../lib/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  FLAVORS,
  availableBackends,
  distinct,
  expectBackendsAgree,
  expectGradsAgree,
  expectPure,
  expectTensileError,
  expectTensor,
  flavoredTensor,
  maxAbs,
  seeded,
  sizeOfShape,
  useBackend,
} from '../helpers/ops.js';

type Reduce = (x: Tensor, o?: ReduceOptions) => Tensor;
const REDUCE: Record<string, Reduce> = { sum, mean, max, min };

/** How many elements one output of a reduction of `shape` over `axis` combines. */
function reducedCount(shape: readonly number[], axis: number | readonly number[] | undefined): number {
  if (axis === undefined) return sizeOfShape(shape);
  const axes = typeof axis === 'number' ? [axis] : axis;
  return axes.reduce((n, a) => n * shape[a < 0 ? a + shape.length : a], 1);
}

describe.each(availableBackends())('reductions on %s', (backend) => {
  useBackend(backend);
  const x = tensor([
    [1, 5, 3],
    [4, 2, 6],
  ]);
  const cube = reshape(arange(24), [2, 3, 4]);

  describe('hand-checked values', () => {
    it('sum over all, one axis, several axes, negative axes, keepDims', () => {
      expectTensor(sum(x), 21);
      expectTensor(sum(x, { axis: 0 }), [5, 7, 9]);
      expectTensor(sum(x, { axis: 1 }), [9, 12]);
      expectTensor(sum(x, { axis: -1, keepDims: true }), [[9], [12]]);
      expectTensor(sum(x, { axis: [0, 1] }), 21);
      expectTensor(sum(x, { axis: [0, -1], keepDims: true }), [[21]]);
      expectTensor(sum(x, { keepDims: true }), [[21]]);
    });
    it('sum of a [2,3,4] over non-adjacent axes [0, 2] and over the middle axis', () => {
      expectTensor(sum(cube, { axis: [0, 2] }), [60, 92, 124]);
      expectTensor(sum(cube, { axis: [-3, -1], keepDims: true }), [[[60], [92], [124]]]);
      expectTensor(sum(cube, { axis: 1 }), [
        [12, 15, 18, 21],
        [48, 51, 54, 57],
      ]);
    });
    it('sum of empty tensors is 0; of a scalar, the scalar', () => {
      expectTensor(sum(tensor([])), 0);
      expectTensor(sum(tensor([[], []]), { axis: 1 }), [0, 0]);
      expectTensor(sum(reshape(tensor([]), [0, 3]), { axis: 0 }), [0, 0, 0]);
      expectTensor(sum(tensor(4), { axis: -1 }), 4);
      expectTensor(sum(tensor(4), { axis: 0, keepDims: true }), 4);
    });
    it('mean', () => {
      expectTensor(mean(x), 3.5);
      expectTensor(mean(x, { axis: 0 }), [2.5, 3.5, 4.5]);
      expectTensor(mean(x, { axis: 1, keepDims: true }), [[3], [4]]);
      expectTensor(mean(cube, { axis: [0, 2] }), [7.5, 11.5, 15.5]);
    });
    it('max and min', () => {
      expectTensor(max(x), 6);
      expectTensor(max(x, { axis: 0 }), [4, 5, 6]);
      expectTensor(max(x, { axis: 1 }), [5, 6]);
      expectTensor(min(x, { axis: 1 }), [1, 2]);
      expectTensor(min(x, { axis: -2, keepDims: true }), [[1, 2, 3]]);
      expectTensor(max(cube, { axis: [0, 2] }), [15, 19, 23]);
    });
    it('NaN wins max and min; infinities compare as usual', () => {
      expectTensor(max(tensor([1, NaN, 3])), NaN);
      expectTensor(
        min(
          tensor([
            [NaN, 1],
            [0, -Infinity],
          ]),
          { axis: 1 },
        ),
        [NaN, -Infinity],
      );
      expectTensor(sum(tensor([1, Infinity])), Infinity);
      expectTensor(sum(tensor([-Infinity, Infinity])), NaN);
    });
    it('argmax: the first maximum, along the last axis by default', () => {
      const t = tensor([
        [1, 9, 3],
        [7, 2, 7],
      ]);
      expectTensor(argmax(t), [1, 0]);
      expectTensor(argmax(t, 0), [1, 0, 1]);
      expectTensor(argmax(t, -2), [1, 0, 1]);
      expectTensor(argmax(cube, 1), [
        [2, 2, 2, 2],
        [2, 2, 2, 2],
      ]);
      expectTensor(argmax(tensor([3, NaN, 5, NaN])), 1); // the first NaN, as in NumPy
      expectTensor(argmax(tensor([-Infinity, -Infinity])), 0);
    });
    it('broadcastTo repeats along new and size-1 axes', () => {
      expectTensor(broadcastTo(tensor([1, 2]), [3, 2]), [
        [1, 2],
        [1, 2],
        [1, 2],
      ]);
      expectTensor(broadcastTo(tensor([[1], [2]]), [2, 3]), [
        [1, 1, 1],
        [2, 2, 2],
      ]);
      expectTensor(broadcastTo(tensor(7), [2, 2]), [
        [7, 7],
        [7, 7],
      ]);
      expectTensor(broadcastTo(tensor([1, 2, 3]), [2, 1, 3]), [[[1, 2, 3]], [[1, 2, 3]]]);
      expectTensor(broadcastTo(tensor([5]), [0]), [], { shape: [0] });
    });
    it('methods match the functions', () => {
      expectTensor(x.sum({ axis: 0 }), [5, 7, 9]);
      expectTensor(x.mean(), 3.5);
      expectTensor(x.max({ axis: 1 }), [5, 6]);
      expectTensor(x.min(), 1);
      expectTensor(x.argmax(0), [1, 0, 1]);
      expectTensor(tensor([1, 2]).broadcastTo([2, 2]), [
        [1, 2],
        [1, 2],
      ]);
    });
  });

  describe('gradients', () => {
    const axes: (ReduceOptions & { label: string })[] = [
      { label: 'all' },
      { label: 'axis 0', axis: 0 },
      { label: 'axes [0, 2] keepDims', axis: [0, 2], keepDims: true },
      { label: 'axis -1', axis: -1 },
      { label: 'axes [1, 2]', axis: [1, 2] },
    ];
    const cases = Object.keys(REDUCE).flatMap((name) => axes.map((o) => ({ name, o })));
    it.each(cases)('$name over $o.label matches central differences', ({ name, o }) => {
      // Distinct values: max and min have no ties, and no step of the check reorders them.
      gradcheck((t) => REDUCE[name](t, o), [distinct([2, 3, 4], 21)]);
    });
    it.each([
      [[3], [2, 3]],
      [
        [2, 1],
        [2, 4],
      ],
      [[], [3]],
      [
        [1, 3],
        [2, 2, 3],
      ],
    ])('broadcastTo %j → %j matches central differences', (from, to) => {
      gradcheck((t) => broadcastTo(t, to), [seeded(from, 5)]);
    });
    it('sum and mean spread the gradient evenly', () => {
      const t = tensor(
        [
          [1, 2],
          [3, 4],
        ],
        undefined,
        { requiresGrad: true },
      );
      mean(t).backward();
      expectTensor(t.grad!, [
        [0.25, 0.25],
        [0.25, 0.25],
      ]);
      t.grad = null;
      sum(t, { axis: 0 }).backward(tensor([10, 20]));
      expectTensor(t.grad!, [
        [10, 20],
        [10, 20],
      ]);
    });
    it('max splits the gradient among ties', () => {
      const t = tensor(
        [
          [1, 3, 3],
          [5, 0, 5],
        ],
        undefined,
        { requiresGrad: true },
      );
      max(t, { axis: 1 }).sum().backward();
      expectTensor(t.grad!, [
        [0, 0.5, 0.5],
        [0.5, 0, 0.5],
      ]);
    });
    it('argmax carries no gradient', () => {
      expect(argmax(tensor([1, 2], undefined, { requiresGrad: true })).requiresGrad).toBe(false);
    });
  });

  describe('bad input', () => {
    it('out-of-range and fractional axes name the op, the axis and the shape', () => {
      expectTensileError(() => sum(x, { axis: 2 }), 'sum', 'axis 2', '[2, 3]');
      expectTensileError(() => mean(x, { axis: -3 }), 'mean', 'axis -3', '[2, 3]');
      expectTensileError(() => max(x, { axis: 0.5 }), 'max', 'axis 0.5', '[2, 3]');
      expectTensileError(() => min(x, { axis: [0, 5] }), 'min', 'axis 5', '[2, 3]');
      expectTensileError(() => argmax(x, 2), 'argmax', 'axis 2', '[2, 3]');
      expectTensileError(() => sum(tensor(1), { axis: 1 }), 'sum', 'axis 1', '[]');
    });
    it('repeated axes', () => expectTensileError(() => sum(x, { axis: [1, -1] }), 'sum', 'repeat'));
    it('argmax of a scalar or over an empty axis', () => {
      expectTensileError(() => argmax(tensor(3)), 'argmax', 'scalar');
      expectTensileError(() => argmax(tensor([[], []])), 'argmax', '[2, 0]');
    });
    it('broadcastTo an incompatible or invalid shape', () => {
      expectTensileError(() => broadcastTo(tensor([1, 2]), [3]), 'broadcastTo', '[2]', '[3]');
      expectTensileError(() => broadcastTo(tensor([[1, 2]]), [2]), 'broadcastTo', '[1, 2]', '[2]');
      expectTensileError(() => broadcastTo(tensor([1]), [-1]), 'broadcastTo', '[-1]');
      expectTensileError(() => broadcastTo(tensor([1]), [1.5]), 'broadcastTo', '[1.5]');
      expectTensileError(() => broadcastTo(tensor([1]), [NaN]), 'broadcastTo', '[NaN]');
    });
  });

  it('leaves every input unchanged, forward and backward', () => {
    const d = distinct([2, 3, 4], 4);
    for (const name of Object.keys(REDUCE)) {
      expectPure((t) => REDUCE[name](t), [d]);
      expectPure((t) => REDUCE[name](t, { axis: [0, 2], keepDims: true }), [d]);
    }
    expectPure((t) => argmax(t, 1), [d]);
    expectPure((t) => broadcastTo(t, [2, 3, 4]), [seeded([3, 1], 2)]);
  });
});

// ---- native vs reference ---------------------------------------------------------------------

type Axis = number | number[] | undefined;
const REDUCE_CASES: [number[], Axis, boolean][] = [
  [[], undefined, false],
  [[0], undefined, false],
  [[5], 0, false],
  [[3, 4], 0, false],
  [[3, 4], 1, false],
  [[3, 4], -1, true],
  [[3, 4], [0, 1], false],
  [[2, 3, 4], [0, 2], false],
  [[2, 3, 4], 1, true],
  [[2, 1, 4], 1, false],
  [[4, 0, 3], 1, false],
  [[4, 0, 3], 0, true],
  [[2, 3, 4, 5], [1, 3], false],
  [[2, 3, 4, 5], [0, 1, 2], false],
  [[1, 1], undefined, false],
  [[64, 65], 1, false],
  [[64, 65], 0, false],
];
const ARGMAX_CASES: [number[], number][] = [
  [[1], 0],
  [[7], -1],
  [[3, 4], 0],
  [[3, 4], 1],
  [[2, 3, 4], 1],
  [[2, 1, 4], 1],
  [[0, 3], 1],
  [[5, 1], 0],
  [[64, 65], -1],
  [[64, 65], 0],
];
const BROADCAST_CASES: [number[], number[]][] = [
  [[1], [3]],
  [[3], [2, 3]],
  [
    [3, 1],
    [3, 4],
  ],
  [
    [1, 4],
    [3, 4],
  ],
  [[], [2, 2]],
  [
    [2, 1, 3],
    [2, 4, 3],
  ],
  [[1], [0]],
  [[0], [2, 0]],
  [
    [1, 1],
    [5, 7],
  ],
  [[65], [64, 65]],
];

describe.skipIf(!nativeLoaded)('reductions native vs reference', () => {
  const cases = Object.keys(REDUCE).flatMap((name) =>
    REDUCE_CASES.map(([shape, axis, keepDims]) => ({ name, shape, axis, keepDims })),
  );
  it.each(cases)('$name $shape over $axis keepDims=$keepDims', ({ name, shape, axis, keepDims }) => {
    FLAVORS.forEach((f, i) => {
      const t = flavoredTensor(shape, 400 + i, f);
      // A sum in float32 may differ from the float64-accumulated reference by about n·eps·max|x|.
      const atol = name === 'sum' || name === 'mean' ? 1e-6 * reducedCount(shape, axis) * maxAbs(t) + 1e-6 : 0;
      expectBackendsAgree((u) => REDUCE[name](u, { axis, keepDims }), [t], { atol, rtol: 1e-5 });
    });
  });
  it.each(ARGMAX_CASES)('argmax %j along %i', (shape, axis) => {
    FLAVORS.forEach((f, i) =>
      expectBackendsAgree((u) => argmax(u, axis), [flavoredTensor(shape, 500 + i, f)], { rtol: 0, atol: 0 }),
    );
    // Ties everywhere: both must pick the first.
    expectBackendsAgree((u) => argmax(u, axis), [tensor(new Float32Array(sizeOfShape(shape)).fill(2), shape)], {
      rtol: 0,
      atol: 0,
    });
  });
  it.each(BROADCAST_CASES)('broadcastTo %j → %j', (from, to) => {
    FLAVORS.forEach((f, i) =>
      expectBackendsAgree((u) => broadcastTo(u, to), [flavoredTensor(from, 600 + i, f)], {
        rtol: 0,
        atol: 0,
        bitwise: true,
      }),
    );
  });
  const gradCases = Object.keys(REDUCE).flatMap((name) =>
    (
      [
        [[3, 4], 1],
        [
          [2, 3, 4],
          [0, 2],
        ],
        [[64, 65], 0],
      ] as [number[], Axis][]
    ).map(([shape, axis]) => ({ name, shape, axis })),
  );
  it.each(gradCases)('gradient of $name $shape over $axis', ({ name, shape, axis }) => {
    expectGradsAgree((u) => REDUCE[name](u, { axis }), [distinct(shape, 7)], { atol: 1e-5 });
  });
  it('gradient of broadcastTo [3,1] → [2,3,4]', () =>
    expectGradsAgree((u) => broadcastTo(u, [2, 3, 4]), [seeded([3, 1], 8)], { atol: 1e-5 }));
});
