import { describe, expect, it } from 'vitest';
import { type Tensor, gather, logSoftmax, softmax, sum, tensor, zeros } from '../../lib/index.js';
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
  maxAbs,
  seeded,
  useBackend,
} from '../helpers/ops.js';

const OPS: Record<string, (x: Tensor, axis?: number) => Tensor> = { softmax, logSoftmax };

const allFinite = (t: Tensor) => t.data.every(Number.isFinite);

describe.each(availableBackends())('softmax and logSoftmax on %s', (backend) => {
  useBackend(backend);

  describe('hand-checked values', () => {
    it('along the last axis by default', () => {
      expectTensor(softmax(tensor([1, 2, 3])), [0.09003057, 0.24472847, 0.66524096]);
      expectTensor(logSoftmax(tensor([1, 2, 3])), [-2.40760596, -1.40760596, -0.40760596]);
      expectTensor(
        softmax(
          tensor([
            [0, 0],
            [0, Math.log(3)],
          ]),
        ),
        [
          [0.5, 0.5],
          [0.25, 0.75],
        ],
      );
    });
    it('along another axis', () => {
      expectTensor(
        softmax(
          tensor([
            [1, 1],
            [2, 3],
          ]),
          0,
        ),
        [
          [0.26894142, 0.11920292],
          [0.73105858, 0.88079708],
        ],
      );
      expectTensor(
        logSoftmax(
          tensor([
            [1, 1],
            [2, 3],
          ]),
          -2,
        ),
        [
          [-1.31326169, -2.12692801],
          [-0.31326169, -0.12692801],
        ],
      );
      const y = softmax(
        tensor([
          [
            [0, 0],
            [0, 1],
          ],
          [
            [1, 2],
            [1, 2],
          ],
        ]),
        1,
      );
      expectTensor(y, [
        [
          [0.5, 0.26894142],
          [0.5, 0.73105858],
        ],
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      ]);
    });
    it('rows sum to 1 and the result is shift-invariant', () => {
      const x = seeded([4, 6], 3, { lo: -5, hi: 5 });
      expectTensor(sum(softmax(x), { axis: -1 }), [1, 1, 1, 1], { rtol: 1e-6 });
      expectTensor(softmax(x.add(100)), softmax(x).arraySync(), { rtol: 1e-5 });
    });
    it('is numerically stable at ±1e4', () => {
      const big = tensor([
        [1e4, -1e4, 0],
        [-1e4, -1e4, -1e4],
        [1e4, 1e4, -1e4],
      ]);
      const s = softmax(big);
      const l = logSoftmax(big);
      expect(allFinite(s) && allFinite(l)).toBe(true);
      expectTensor(s, [
        [1, 0, 0],
        [1 / 3, 1 / 3, 1 / 3],
        [0.5, 0.5, 0],
      ]);
      expectTensor(l, [
        [0, -2e4, -1e4],
        [-Math.log(3), -Math.log(3), -Math.log(3)],
        [-Math.LN2, -Math.LN2, -2e4 - Math.LN2],
      ]);
      expectTensor(logSoftmax(tensor([-1e4, -9999])), [-1.31326169, -0.31326169]);
      expect(allFinite(softmax(tensor([1e4, -1e4]), 0))).toBe(true);
    });
    it('a single element is certain', () => {
      expectTensor(softmax(tensor([[7], [-7]])), [[1], [1]]);
      expectTensor(logSoftmax(tensor([1e4])), [0]);
    });
    it('NaN spoils only its own row', () => {
      expectTensor(
        softmax(
          tensor([
            [NaN, 1],
            [0, 0],
          ]),
        ),
        [
          [NaN, NaN],
          [0.5, 0.5],
        ],
      );
      expectTensor(
        logSoftmax(
          tensor([
            [1, NaN],
            [0, 0],
          ]),
        ),
        [
          [NaN, NaN],
          [-Math.LN2, -Math.LN2],
        ],
      );
    });
    it('-Infinity is an impossible class', () => {
      expectTensor(softmax(tensor([-Infinity, 0])), [0, 1]);
      expectTensor(logSoftmax(tensor([-Infinity, 0])), [-Infinity, 0]);
    });
    it('keeps empty shapes', () => {
      expectTensor(softmax(zeros([0, 4])), [], { shape: [0, 4] });
      expectTensor(logSoftmax(zeros([4, 0])), [[], [], [], []]);
      expectTensor(softmax(zeros([4, 0]), 0), [[], [], [], []]);
    });
    it('methods match the functions', () => {
      expectTensor(tensor([1, 2, 3]).softmax(), [0.09003057, 0.24472847, 0.66524096]);
      expectTensor(
        tensor([
          [1, 1],
          [2, 3],
        ]).logSoftmax(0),
        [
          [-1.31326169, -2.12692801],
          [-0.31326169, -0.12692801],
        ],
      );
    });
  });

  describe('gradients match central differences', () => {
    const cases: { name: string; shape: number[]; axis: number }[] = Object.keys(OPS).flatMap((name) => [
      { name, shape: [2, 5], axis: -1 },
      { name, shape: [3, 4], axis: 0 },
      { name, shape: [2, 3, 4], axis: 1 },
      { name, shape: [4], axis: 0 },
    ]);
    it.each(cases)('$name $shape along $axis', ({ name, shape, axis }) => {
      gradcheck((x) => OPS[name](x, axis), [seeded(shape, 9, { lo: -3, hi: 3 })]);
    });
    it('cross-entropy: logSoftmax then picking the targets', () => {
      gradcheck(
        (x) =>
          gather(logSoftmax(x).reshape([-1]), [1, 5, 8])
            .neg()
            .mean(),
        [seeded([3, 3], 2, { lo: -2, hi: 2 })],
      );
    });
    it('at large magnitudes the gradient stays finite', () => {
      const x = tensor([[1e4, -1e4, 0]], undefined, { requiresGrad: true });
      logSoftmax(x)
        .mul(tensor([[1, 2, 3]]))
        .sum()
        .backward();
      expect(allFinite(x.grad!)).toBe(true);
      expectTensor(x.grad!, [[-5, 2, 3]]); // dy − softmax·Σdy, softmax = [1, 0, 0]
    });
  });

  describe('bad input', () => {
    it('a scalar has no axis', () => {
      expectTensileError(() => softmax(tensor(1)), 'softmax', 'scalar');
      expectTensileError(() => logSoftmax(tensor(1)), 'logSoftmax', 'scalar');
    });
    it('out-of-range axes name the op and the shape', () => {
      expectTensileError(() => softmax(zeros([2, 3]), 2), 'softmax', 'axis 2', '[2, 3]');
      expectTensileError(() => logSoftmax(zeros([2, 3]), -3), 'logSoftmax', 'axis -3', '[2, 3]');
      expectTensileError(() => softmax(zeros([2, 3]), 1.5), 'softmax', 'axis 1.5', '[2, 3]');
    });
  });

  it('leaves every input unchanged, forward and backward', () => {
    for (const name of Object.keys(OPS)) {
      expectPure((x) => OPS[name](x), [seeded([3, 4], 1)]);
      expectPure((x) => OPS[name](x, 0), [seeded([3, 4], 1)]);
    }
  });
});

// ---- native vs reference ---------------------------------------------------------------------

const DIFF_CASES: [number[], number][] = [
  [[5], -1],
  [[1], 0],
  [[3, 4], -1],
  [[3, 4], 0],
  [[2, 3, 4], 1],
  [[2, 3, 4], 0],
  [[0, 4], -1],
  [[4, 0], -1],
  [[1, 1], -1],
  [[7, 129], -1],
];

describe.skipIf(!nativeLoaded)('softmax native vs reference', () => {
  const cases = Object.keys(OPS).flatMap((name) => DIFF_CASES.map(([shape, axis]) => ({ name, shape, axis })));
  it.each(cases)('$name $shape along $axis', ({ name, shape, axis }) => {
    // Large means ±1e4 here: stability, not overflow, is what differs between implementations.
    FLAVORS.forEach((f, i) => {
      const x = flavoredTensor(shape, 900 + i, f, 1e4);
      expectBackendsAgree((u) => OPS[name](u, axis), [x], { rtol: 1e-5, atol: 1e-6 * Math.max(1, maxAbs(x)) });
    });
  });
  const gradCases = Object.keys(OPS).flatMap((name) => [
    { name, shape: [3, 4], axis: -1 },
    { name, shape: [2, 3, 4], axis: 1 },
  ]);
  it.each(gradCases)('gradient of $name $shape along $axis', ({ name, shape, axis }) => {
    expectGradsAgree((u) => OPS[name](u, axis), [seeded(shape, 5, { lo: -3, hi: 3 })], { atol: 1e-5 });
  });
});
