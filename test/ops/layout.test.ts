import { describe, expect, it } from 'vitest';
import { type Tensor, arange, concat, gather, reshape, slice, tensor, transpose, zeros } from '../../lib/index.js';
import type { NestedArray } from '../../lib/tensor/index.js';
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

const exact = { rtol: 0, atol: 0, bitwise: true };

describe.each(availableBackends())('layout ops on %s', (backend) => {
  useBackend(backend);
  const m = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const cube = reshape(arange(12), [2, 2, 3]);
  const rows = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);

  describe('hand-checked values', () => {
    it('reshape, inferring one -1', () => {
      expectTensor(reshape(arange(6), [2, -1]), [
        [0, 1, 2],
        [3, 4, 5],
      ]);
      expectTensor(reshape(m, [-1]), [1, 2, 3, 4, 5, 6]);
      expectTensor(reshape(m, [3, 2]), [
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expectTensor(reshape(m, [1, -1, 1]), [[[1], [2], [3], [4], [5], [6]]]);
      expectTensor(reshape(tensor([5]), []), 5);
      expectTensor(reshape(zeros([0, 3]), [-1, 3]), [], { shape: [0, 3] });
      expectTensor(m.reshape([6, 1]).reshape([2, 3]), [
        [1, 2, 3],
        [4, 5, 6],
      ]);
    });
    it('transpose reverses the axes by default', () => {
      expectTensor(transpose(m), [
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      expectTensor(transpose(tensor(3)), 3);
      expectTensor(transpose(zeros([0, 3])), [[], [], []]);
    });
    it('transpose by a permutation', () => {
      expectTensor(transpose(cube, [0, 2, 1]), [
        [
          [0, 3],
          [1, 4],
          [2, 5],
        ],
        [
          [6, 9],
          [7, 10],
          [8, 11],
        ],
      ]);
      expectTensor(transpose(cube, [2, 0, 1]), [
        [
          [0, 3],
          [6, 9],
        ],
        [
          [1, 4],
          [7, 10],
        ],
        [
          [2, 5],
          [8, 11],
        ],
      ]);
      expectTensor(cube.transpose([0, 1, 2]), cube.arraySync());
    });
    it('concat along each axis, negative axes included', () => {
      expectTensor(
        concat([
          tensor([[1, 2]]),
          tensor([
            [3, 4],
            [5, 6],
          ]),
        ]),
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      );
      expectTensor(
        concat(
          [
            tensor([[1], [2]]),
            tensor([
              [3, 4],
              [5, 6],
            ]),
          ],
          1,
        ),
        [
          [1, 3, 4],
          [2, 5, 6],
        ],
      );
      expectTensor(
        concat(
          [
            tensor([[1], [2]]),
            tensor([
              [3, 4],
              [5, 6],
            ]),
          ],
          -1,
        ),
        [
          [1, 3, 4],
          [2, 5, 6],
        ],
      );
      expectTensor(concat([cube, cube], 2).slice([1, 1, 0], [1, 1, 6]), [[[9, 10, 11, 9, 10, 11]]]);
    });
    it('concat with empty parts, a single part, nested arrays', () => {
      expectTensor(concat([tensor([1, 2]), tensor([]), tensor([3])]), [1, 2, 3]);
      expectTensor(concat([m]), m.arraySync());
      expectTensor(concat([[1], [2, 3]]), [1, 2, 3]);
    });
    it('slice a box; size -1 takes the rest of the axis', () => {
      expectTensor(slice(m, [0, 1], [2, 2]), [
        [2, 3],
        [5, 6],
      ]);
      expectTensor(slice(m, [1, 0], [-1, 2]), [[4, 5]]);
      expectTensor(slice(m, [0, 2]), [[3], [6]]);
      expectTensor(slice(m, [0, 1], [-1, -1]), [
        [2, 3],
        [5, 6],
      ]);
      expectTensor(slice(cube, [1, 0, 1], [1, 2, 2]), [
        [
          [7, 8],
          [10, 11],
        ],
      ]);
      expectTensor(slice(m, [2, 0], [0, 2]), [], { shape: [0, 2] });
      expectTensor(m.slice([1, 1]), [[5, 6]]);
    });
    it('gather rows by 1-D indices, repeats allowed', () => {
      expectTensor(gather(rows, [2, 0]), [
        [5, 6],
        [1, 2],
      ]);
      expectTensor(gather(rows, [1, 1, 1]), [
        [3, 4],
        [3, 4],
        [3, 4],
      ]);
      expectTensor(gather(tensor([10, 20, 30]), [2, 0, 1]), [30, 10, 20]);
      expectTensor(gather(rows, Int32Array.of(0, 2)), [
        [1, 2],
        [5, 6],
      ]);
      expectTensor(gather(rows, tensor([2])), [[5, 6]]);
      expectTensor(rows.gather([0]), [[1, 2]]);
    });
    it('gather by 2-D indices gives [...indices.shape, ...row shape]', () => {
      expectTensor(
        gather(rows, [
          [0, 2],
          [1, 1],
        ]),
        [
          [
            [1, 2],
            [5, 6],
          ],
          [
            [3, 4],
            [3, 4],
          ],
        ],
      );
      expectTensor(gather(cube, [[1], [0]]).reshape([2, 6]), [
        [6, 7, 8, 9, 10, 11],
        [0, 1, 2, 3, 4, 5],
      ]);
    });
    it('gather by a scalar index or no indices', () => {
      expectTensor(gather(rows, 1), [3, 4]);
      expectTensor(gather(rows, []), [], { shape: [0, 2] });
    });
    it('copies keep NaN and ±Infinity', () => {
      const s = tensor([
        [NaN, Infinity],
        [-Infinity, -0],
      ]);
      expectTensor(transpose(s), [
        [NaN, -Infinity],
        [Infinity, -0],
      ]);
      expectTensor(gather(s, [1, 0]), [
        [-Infinity, -0],
        [NaN, Infinity],
      ]);
      expectTensor(concat([s, s]).slice([2, 0]), [
        [NaN, Infinity],
        [-Infinity, -0],
      ]);
    });
  });

  describe('gradients', () => {
    it('reshape and transpose match central differences', () => {
      gradcheck((x) => reshape(x, [4, -1]), [seeded([2, 3, 2], 1)]);
      gradcheck((x) => transpose(x), [seeded([2, 3], 2)]);
      gradcheck((x) => transpose(x, [2, 0, 1]), [seeded([2, 3, 4], 3)]);
      gradcheck((x) => transpose(x, [0, 2, 1]).reshape([2, -1]), [seeded([2, 3, 4], 4)]);
    });
    it.each([0, 1, -1])('concat of three tensors along %i matches central differences in each', (axis) => {
      const shapes =
        axis === 0
          ? [
              [1, 3],
              [2, 3],
              [3, 3],
            ]
          : [
              [2, 1],
              [2, 2],
              [2, 3],
            ];
      gradcheck(
        (a, b, c) => concat([a, b, c], axis),
        shapes.map((s, i) => seeded(s, 10 + i)),
      );
    });
    it('slice matches central differences', () => {
      gradcheck((x) => slice(x, [1, 0], [1, -1]), [seeded([3, 4], 5)]);
      gradcheck((x) => slice(x, [0, 1, 1], [2, 2, 2]), [seeded([2, 3, 4], 6)]);
    });
    it('gather matches central differences, with repeated and 2-D indices', () => {
      gradcheck((x) => gather(x, [2, 0, 2, 2]), [seeded([3, 2], 7)]);
      gradcheck(
        (x) =>
          gather(x, [
            [1, 0],
            [1, 1],
          ]),
        [seeded([2, 3], 8)],
      );
    });
    it('repeated gather indices accumulate; ungathered rows get 0', () => {
      const x = tensor(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        undefined,
        { requiresGrad: true },
      );
      gather(x, [1, 1, 0]).sum().backward();
      expectTensor(x.grad!, [
        [1, 1],
        [2, 2],
        [0, 0],
      ]);
    });
    it('slice puts the gradient back in its box', () => {
      const x = tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        undefined,
        { requiresGrad: true },
      );
      slice(x, [0, 1], [2, 1]).backward(tensor([[10], [20]]));
      expectTensor(x.grad!, [
        [0, 10, 0],
        [0, 20, 0],
      ]);
    });
    it('concat sends each part its own slice of the gradient', () => {
      const a = tensor([1], undefined, { requiresGrad: true });
      const b = tensor([2, 3], undefined, { requiresGrad: true });
      const c = tensor([9]); // no grad wanted
      concat([a, c, b]).backward(tensor([10, 20, 30, 40]));
      expectTensor(a.grad!, [10]);
      expectTensor(b.grad!, [30, 40]);
      expect(c.grad).toBeNull();
    });
  });

  describe('bad input', () => {
    it('reshape to a size that differs, or to invalid entries', () => {
      expectTensileError(() => reshape(m, [4]), 'reshape', '[2, 3]', '[4]');
      expectTensileError(() => reshape(m, [4, -1]), 'reshape', '[2, 3]', '[4, -1]');
      for (const bad of [[NaN, 6], [-2, -3], [2.5, 2.4], [-1, -1], [Infinity], [6, -0.5]])
        expectTensileError(() => reshape(m, bad), 'reshape', 'non-negative integers');
      expectTensileError(() => reshape(m, 6 as never), 'reshape', 'array');
    });
    it('transpose by a non-permutation', () => {
      expectTensileError(() => transpose(m, [0, 2]), 'transpose', '[0, 2]', '[2, 3]');
      expectTensileError(() => transpose(m, [0, 0]), 'transpose', '[0, 0]', '[2, 3]');
      expectTensileError(() => transpose(m, [1]), 'transpose', '[2, 3]');
      expectTensileError(() => transpose(m, [0.5, 1]), 'transpose', '[2, 3]');
    });
    it('concat of mismatched shapes or along a missing axis', () => {
      expectTensileError(() => concat([zeros([2, 3]), zeros([2, 4])], 0), 'concat', '[2, 3]', '[2, 4]');
      expectTensileError(() => concat([zeros([2, 3]), zeros([3])]), 'concat', '[2, 3]', '[3]');
      expectTensileError(() => concat([zeros([2, 3]), zeros([2, 3])], 2), 'concat', 'axis 2', '[2, 3]');
      expectTensileError(() => concat([zeros([2, 3])], -3), 'concat', 'axis -3', '[2, 3]');
      expectTensileError(() => concat([]), 'concat', 'non-empty');
      expectTensileError(() => concat([tensor(1), tensor(2)]), 'concat', 'scalars');
    });
    it('slice outside the tensor', () => {
      expectTensileError(() => slice(m, [1, 0], [2, 1]), 'slice', '[2, 3]', 'axis 0');
      expectTensileError(() => slice(m, [0, 3], [1, 1]), 'slice', '[2, 3]', 'axis 1');
      expectTensileError(() => slice(m, [-1, 0], [1, 1]), 'slice', '[2, 3]');
      expectTensileError(() => slice(m, [0, 0.5], [1, 1]), 'slice', '[2, 3]');
      expectTensileError(() => slice(m, [0]), 'slice', '[2, 3]');
      expectTensileError(() => slice(m, [0, 0], [1]), 'slice', '[2, 3]');
    });
    it('gather with indices out of range or not integers', () => {
      expectTensileError(() => gather(rows, [0, 3]), 'gather', 'index 3', '[3, 2]');
      expectTensileError(() => gather(rows, [-1]), 'gather', 'index -1', '[3, 2]');
      expectTensileError(() => gather(rows, [1.5]), 'gather', 'index 1.5', '[3, 2]');
      expectTensileError(() => gather(rows, [NaN]), 'gather', 'index NaN', '[3, 2]');
      expectTensileError(() => gather(rows, [[0], [7]]), 'gather', 'index 7', '[3, 2]');
      expectTensileError(() => gather(zeros([0, 2]), [0]), 'gather', '[0, 2]');
      expectTensileError(() => gather(tensor(5), [0]), 'gather', 'scalar');
    });
  });

  it('leaves every input unchanged, forward and backward', () => {
    const x = seeded([2, 3, 4], 1);
    expectPure((t) => reshape(t, [6, -1]), [x]);
    expectPure((t) => transpose(t, [1, 2, 0]), [x]);
    expectPure((t) => slice(t, [1, 1, 0], [1, 2, -1]), [x]);
    expectPure((a, b) => concat([a, b], 1), [x, seeded([2, 1, 4], 2)]);
    expectPure(
      (t) =>
        gather(t, [
          [1, 1],
          [0, 1],
        ]),
      [x],
    );
    const idx = tensor([1, 0, 1]);
    const before = idx.dataSync();
    gather(x, idx);
    expectTensor(idx, [...before]);
  });
});

// ---- native vs reference ---------------------------------------------------------------------

const RESHAPE_CASES: [number[], number[]][] = [
  [[6], [2, 3]],
  [[2, 3], [-1]],
  [
    [0, 3],
    [3, 0],
  ],
  [[], [1, 1]],
];
const TRANSPOSE_CASES: [number[], number[] | undefined][] = [
  [[2, 3], undefined],
  [
    [2, 3, 4],
    [2, 0, 1],
  ],
  [
    [2, 3, 4],
    [1, 2, 0],
  ],
  [
    [2, 3, 4],
    [0, 2, 1],
  ],
  [
    [0, 3],
    [1, 0],
  ],
  [
    [1, 5],
    [1, 0],
  ],
  [
    [2, 3, 4, 5],
    [3, 1, 0, 2],
  ],
  [[], []],
  [[1], [0]],
  [
    [33, 65],
    [1, 0],
  ],
  [
    [4, 1, 3, 1],
    [3, 2, 1, 0],
  ],
];
const SLICE_CASES: [number[], number[], number[]][] = [
  [[5], [1], [3]],
  [
    [3, 4],
    [1, 1],
    [2, -1],
  ],
  [
    [3, 4],
    [0, 0],
    [0, 4],
  ],
  [
    [2, 3, 4],
    [1, 0, 2],
    [1, 3, 2],
  ],
  [
    [2, 3, 4],
    [0, 1, 0],
    [-1, -1, -1],
  ],
  [
    [1, 1],
    [0, 0],
    [1, 1],
  ],
  [
    [0, 3],
    [0, 1],
    [0, 2],
  ],
  [
    [64, 65],
    [3, 5],
    [50, -1],
  ],
  [
    [2, 3, 4, 5],
    [1, 1, 1, 1],
    [1, 2, 2, 3],
  ],
];
const CONCAT_CASES: [number[][], number][] = [
  [
    [
      [2, 3],
      [1, 3],
    ],
    0,
  ],
  [
    [
      [2, 3],
      [2, 1],
      [2, 0],
    ],
    1,
  ],
  [
    [
      [0, 3],
      [2, 3],
    ],
    0,
  ],
  [[[1], [1]], 0],
  [
    [
      [2, 3, 4],
      [2, 2, 4],
    ],
    -2,
  ],
  [
    [
      [2, 3, 4],
      [2, 3, 1],
      [2, 3, 5],
    ],
    2,
  ],
  [
    [
      [64, 65],
      [64, 1],
    ],
    1,
  ],
  [[[4]], 0],
];
const GATHER_CASES: [number[], NestedArray][] = [
  [[5], [4, 0, 0]],
  [
    [3, 2],
    [
      [0, 2],
      [1, 1],
    ],
  ],
  [
    [3, 2, 4],
    [2, 1],
  ],
  [
    [1, 3],
    [0, 0, 0],
  ],
  [[4, 3], []],
  [
    [3, 0],
    [1, 2],
  ],
  [
    [64, 65],
    [63, 0, 5, 5],
  ],
  [[6], 3],
];

describe.skipIf(!nativeLoaded)('layout native vs reference', () => {
  // Copies are exact: every bit, -0 included, must come through.
  const agree = (f: (x: Tensor) => Tensor, shape: number[], seed: number) =>
    expectBackendsAgree(f, [flavoredTensor(shape, seed, 'special', 3e38)], exact);
  it.each(RESHAPE_CASES)('reshape %j → %j', (from, to) => agree((x) => reshape(x, to), from, 1));
  it.each(TRANSPOSE_CASES)('transpose %j by %j', (shape, perm) => agree((x) => transpose(x, perm), shape, 2));
  it.each(SLICE_CASES)('slice %j at %j size %j', (shape, begin, size) => agree((x) => slice(x, begin, size), shape, 3));
  it.each(CONCAT_CASES)('concat %j along %i', (shapes, axis) => {
    const parts = shapes.map((s, i) => flavoredTensor(s, 40 + i, 'special', 3e38));
    expectBackendsAgree((...xs) => concat(xs, axis), parts, exact);
  });
  it.each(GATHER_CASES)('gather %j by %j', (shape, indices) => agree((x) => gather(x, indices), shape, 5));
  it('gradients of transpose, slice, concat and gather (scatterAdd with repeats)', () => {
    expectGradsAgree((x) => transpose(x, [2, 0, 1]), [seeded([2, 3, 4], 1)]);
    expectGradsAgree((x) => slice(x, [0, 1, 1], [2, 2, -1]), [seeded([2, 3, 4], 2)]);
    expectGradsAgree((a, b) => concat([a, b], 1), [seeded([2, 3], 3), seeded([2, 2], 4)]);
    expectGradsAgree(
      (x) =>
        gather(x, [
          [2, 0],
          [2, 2],
        ]),
      [seeded([3, 4], 5)],
    );
    expectGradsAgree((x) => gather(x, [63, 0, 5, 5, 5]), [seeded([64, 65], 6)], { atol: 1e-5 });
  });
});
