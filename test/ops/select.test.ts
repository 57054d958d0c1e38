import { describe, expect, it } from 'vitest';
import { clip, tensor, where } from '../../lib/index.js';
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

describe.each(availableBackends())('where and clip on %s', (backend) => {
  useBackend(backend);

  describe('hand-checked values', () => {
    it('where picks a where cond ≠ 0, else b', () => {
      expectTensor(where(tensor([1, 0, 1]), tensor([1, 2, 3]), tensor([9, 8, 7])), [1, 8, 3]);
      expectTensor(where(tensor([2, -1, 0.5, 0]), 1, 0), [1, 1, 1, 0]);
    });
    it('where broadcasts all three operands', () => {
      expectTensor(where([[1], [0]], [1, 2], 0), [
        [1, 2],
        [0, 0],
      ]);
      expectTensor(
        where(
          [1, 0],
          [[1], [2]],
          [
            [10, 20],
            [30, 40],
          ],
        ),
        [
          [1, 20],
          [2, 40],
        ],
      );
      expectTensor(where(1, [1, 2], [[5], [6]]), [
        [1, 2],
        [1, 2],
      ]);
      expect(where(tensor([[[1, 0, 1]], [[0, 1, 0]]]), tensor([[1], [2], [3], [4]]), tensor(0)).shape).toEqual([
        2, 4, 3,
      ]);
    });
    it('NaN in cond is true, -0 is false; NaN in a or b is passed through', () => {
      expectTensor(where(tensor([NaN, -0]), tensor([1, 2]), tensor([3, 4])), [1, 4]);
      expectTensor(where(tensor([1, 0]), tensor([NaN, 0]), tensor([0, Infinity])), [NaN, Infinity]);
    });
    it('the method form reads x.where(cond, other)', () => expectTensor(tensor([1, 2]).where([0, 1], 9), [9, 2]));
    it('clip limits to [lo, hi]', () => {
      expectTensor(clip(tensor([-2, 0.5, 3]), 0, 1), [0, 0.5, 1]);
      expectTensor(clip(tensor([[-5, 5]]), -Infinity, 2), [[-5, 2]]);
      expectTensor(clip(tensor([-5, 5]), 2, 2), [2, 2]);
      expectTensor(clip(tensor([NaN, Infinity, -Infinity]), -1, 1), [NaN, 1, -1]);
      expectTensor(tensor([0.2, 7]).clip(0, 1), [0.2, 1]);
    });
  });

  describe('gradients', () => {
    const cases: [number[], number[], number[]][] = [
      [
        [2, 3],
        [2, 3],
        [2, 3],
      ],
      [[2, 3], [3], [2, 1]],
      [[], [2, 2], [2]],
      [[3, 1], [1, 4], []],
    ];
    it.each(cases)('where(%j, %j, %j) matches central differences in a and b', (sc, sa, sb) => {
      const cond = seeded(sc, 1).greater(0);
      gradcheck((a, b) => where(cond, a, b), [seeded(sa, 2), seeded(sb, 3)]);
    });
    it('clip matches central differences off its bounds', () => {
      gradcheck((x) => clip(x, -0.5, 0.5), [seeded([3, 4], 4, { lo: -2, hi: 2, avoid: [-0.5, 0.5] })]);
      gradcheck((x) => clip(x, 0, Infinity), [seeded([5], 5, { avoid: [0] })]);
    });
    it('where sends the gradient to the chosen side, summed over broadcasting', () => {
      const a = tensor([1, 2], undefined, { requiresGrad: true });
      const b = tensor(0, undefined, { requiresGrad: true });
      where(
        [
          [1, 0],
          [1, 1],
        ],
        a,
        b,
      )
        .sum()
        .backward();
      expectTensor(a.grad!, [2, 1]);
      expectTensor(b.grad!, 1);
    });
    it('clip passes the gradient inside [lo, hi], bounds included', () => {
      const x = tensor([-2, 0, 0.5, 1, 3], undefined, { requiresGrad: true });
      clip(x, 0, 1).sum().backward();
      expectTensor(x.grad!, [0, 1, 1, 1, 0]);
    });
    it('cond gets no gradient', () => {
      const c = tensor([1, 0], undefined, { requiresGrad: true });
      where(c, tensor([1, 2], undefined, { requiresGrad: true }), 0)
        .sum()
        .backward();
      expect(c.grad).toBeNull();
    });
  });

  describe('bad input', () => {
    it('where with shapes that do not broadcast names all three', () => {
      expectTensileError(
        () =>
          where(
            tensor([
              [1, 0, 1],
              [0, 1, 0],
            ]),
            tensor([1, 2, 3, 4]),
            0,
          ),
        'where',
        '[2, 3]',
        '[4]',
        '[]',
      );
      expectTensileError(() => where([1, 0], [1, 2], [1, 2, 3]), 'where', '[2]', '[3]');
    });
    it('clip needs numbers lo ≤ hi', () => {
      expectTensileError(() => clip(tensor([1]), 2, 1), 'clip', 'lo = 2', 'hi = 1');
      expectTensileError(() => clip(tensor([1]), NaN, 1), 'clip', 'lo = NaN');
      expectTensileError(() => clip(tensor([1]), 0, '1' as never), 'clip', 'hi = 1');
    });
  });

  it('leaves every input unchanged, forward and backward', () => {
    expectPure((c, a, b) => where(c, a, b), [tensor([[1, 0, 1]]), seeded([2, 3], 1), seeded([3], 2)]);
    expectPure((x) => clip(x, -0.5, 0.5), [seeded([4, 5], 3)]);
  });
});

// ---- native vs reference ---------------------------------------------------------------------

const WHERE_CASES: [number[], number[], number[]][] = [
  [[3], [3], [3]],
  [[2, 3], [3], [2, 1]],
  [[3], [2, 3], []],
  [[1], [2, 3], [2, 3]],
  [[2, 1, 3], [4, 1], [3]],
  [[0, 3], [3], [1]],
  [[], [], []],
  [[64, 65], [65], [64, 1]],
];
const CLIP_CASES: [number[], number, number][] = [
  [[5], -1, 1],
  [[3, 4], 0, Infinity],
  [[3, 4], -Infinity, 0.5],
  [[0], 0, 1],
  [[], -1, 1],
  [[1000], -0.5, 0.5],
  [[2, 3], 2, 2],
];

describe.skipIf(!nativeLoaded)('where and clip native vs reference', () => {
  it.each(WHERE_CASES)('where(%j, %j, %j)', (sc, sa, sb) => {
    FLAVORS.forEach((f, i) => {
      // cond from the special mix too: NaN, ±0 and ±Infinity as conditions.
      const inputs = [
        flavoredTensor(sc, 60 + i, 'special'),
        flavoredTensor(sa, 70 + i, f, 3e38),
        flavoredTensor(sb, 80 + i, f, 3e38),
      ];
      expectBackendsAgree((c, a, b) => where(c, a, b), inputs, { rtol: 0, atol: 0, bitwise: true });
    });
  });
  it.each(CLIP_CASES)('clip %j to [%d, %d]', (shape, lo, hi) => {
    FLAVORS.forEach((f, i) =>
      expectBackendsAgree((x) => clip(x, lo, hi), [flavoredTensor(shape, 90 + i, f, 3e38)], { rtol: 0, atol: 0 }),
    );
  });
  it('gradients of where and clip', () => {
    expectGradsAgree(
      (a, b) =>
        where(
          tensor([
            [1, 0, 1],
            [0, 0, 1],
          ]),
          a,
          b,
        ),
      [seeded([3], 1), seeded([2, 1], 2)],
    );
    expectGradsAgree((x) => clip(x, -0.5, 0.5), [seeded([64, 65], 3)]);
  });
});
