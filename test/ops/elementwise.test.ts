import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  abs,
  add,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  square,
  sub,
  tanh,
  tensor,
} from '../../lib/index.js';
import { sign, step } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  type InputOptions,
  FLAVORS,
  availableBackends,
  distinct,
  expectBackendsAgree,
  expectPure,
  expectTensileError,
  expectTensor,
  flavoredTensor,
  seeded,
  useBackend,
} from '../helpers/ops.js';

type Unary = (x: Tensor) => Tensor;
type Binary = (a: Tensor, b: Tensor) => Tensor;

const UNARY: Record<string, Unary> = { neg, exp, log, sqrt, abs, square, relu, sigmoid, tanh, step, sign };
const BINARY: Record<string, Binary> = {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
};

// Where each differentiable unary op is smooth: inputs drawn from here stay off kinks and poles.
const UNARY_DOMAIN: Record<string, InputOptions> = {
  neg: {},
  square: {},
  exp: { lo: -2, hi: 2 },
  tanh: { lo: -2, hi: 2 },
  sigmoid: { lo: -4, hi: 4 },
  log: { lo: 0.5, hi: 3 },
  sqrt: { lo: 0.5, hi: 3 },
  abs: { avoid: [0] },
  relu: { avoid: [0] },
};

// Shape pairs for the binary gradchecks: equal, each side broadcast, both broadcast, scalar, rank-extending.
const GRAD_PAIRS: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [
    [3, 1],
    [1, 4],
  ],
  [[], [2, 3]],
  [
    [2, 1, 3],
    [4, 1],
  ],
];

/** Inputs for a binary gradcheck, off each op's kinks: b away from 0 for div, a > 0 for pow, a ≠ b for max/min. */
function binaryInputs(name: string, sa: number[], sb: number[], seed: number): [Tensor, Tensor] {
  switch (name) {
    case 'div':
      return [seeded(sa, seed), seeded(sb, seed + 1, { lo: -2, hi: 2, avoid: [0], margin: 0.5 })];
    case 'pow':
      return [seeded(sa, seed, { lo: 0.5, hi: 2 }), seeded(sb, seed + 1, { lo: -1.5, hi: 2.5 })];
    case 'maximum':
    case 'minimum':
      return [distinct(sa, seed), distinct(sb, seed + 1, 0.1, 0.05)];
    default:
      return [seeded(sa, seed), seeded(sb, seed + 1)];
  }
}

describe.each(availableBackends())('element-wise ops on %s', (backend) => {
  useBackend(backend);

  describe('hand-checked values', () => {
    const x = tensor([
      [-2, -0.5, 0],
      [0.5, 2, 3],
    ]);
    it('neg, abs, square, relu keep the shape', () => {
      expectTensor(neg(x), [
        [2, 0.5, 0],
        [-0.5, -2, -3],
      ]);
      expectTensor(abs(x), [
        [2, 0.5, 0],
        [0.5, 2, 3],
      ]);
      expectTensor(square(x), [
        [4, 0.25, 0],
        [0.25, 4, 9],
      ]);
      expectTensor(relu(x), [
        [0, 0, 0],
        [0.5, 2, 3],
      ]);
    });
    it('exp', () =>
      expectTensor(exp(tensor([-2, -0.5, 0, 0.5, 2])), [0.1353352832, 0.6065306597, 1, 1.6487212707, 7.3890560989]));
    it('log, with -Infinity at 0 and NaN below', () =>
      expectTensor(log(tensor([0.5, 1, Math.E, 10, 0, -1])), [-0.6931471806, 0, 1, 2.302585093, -Infinity, NaN]));
    it('sqrt, with NaN below 0', () => expectTensor(sqrt(tensor([0, 1, 2.25, 4, -1])), [0, 1, 1.5, 2, NaN]));
    it('sigmoid, saturating without NaN', () =>
      expectTensor(sigmoid(tensor([0, 2, -2, 100, -100, 1e4, -1e4])), [0.5, 0.880797078, 0.119202922, 1, 0, 1, 0]));
    it('tanh', () => expectTensor(tanh(tensor([0, 0.5, -1, 20, -1e4])), [0, 0.4621171573, -0.761594156, 1, -1]));
    it('relu and abs pass NaN through', () => {
      expectTensor(relu(tensor([NaN, -Infinity, Infinity])), [NaN, 0, Infinity]);
      expectTensor(abs(tensor([NaN, -Infinity])), [NaN, Infinity]);
    });
    it('work on scalars and empty tensors', () => {
      expectTensor(exp(tensor(0)), 1);
      expectTensor(sqrt(tensor([])), [], { shape: [0] });
    });

    it('add broadcasts a row over a matrix', () =>
      expectTensor(
        add(
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          tensor([10, 20, 30]),
        ),
        [
          [11, 22, 33],
          [14, 25, 36],
        ],
      ));
    it('sub broadcasts a column against a row', () =>
      expectTensor(sub(tensor([[1], [2]]), tensor([10, 20, 30])), [
        [-9, -19, -29],
        [-8, -18, -28],
      ]));
    it('mul takes plain numbers and nested arrays', () => {
      expectTensor(mul(tensor([2, 3]), 2), [4, 6]);
      expectTensor(mul([[1, 2]], [[3], [4]]), [
        [3, 6],
        [4, 8],
      ]);
    });
    it('div follows IEEE for zero divisors', () =>
      expectTensor(div(tensor([1, -3, 1, 0, -1]), tensor([4, 2, 0, 0, 0])), [0.25, -1.5, Infinity, NaN, -Infinity]));
    it('pow, including fractional exponents and a negative base', () =>
      expectTensor(pow(tensor([2, 3, 4, 9, 0, 5, -8]), tensor([3, 2, 0.5, -0.5, 0, 1, 1 / 3])), [
        8,
        9,
        2,
        1 / 3,
        1,
        5,
        NaN,
      ]));
    it('maximum and minimum propagate NaN from either side', () => {
      expectTensor(maximum(tensor([1, 5, NaN, 2]), tensor([3, 2, 0, NaN])), [3, 5, NaN, NaN]);
      expectTensor(minimum(tensor([1, 5, NaN, 2]), tensor([3, 2, 0, NaN])), [1, 2, NaN, NaN]);
      expectTensor(maximum(tensor([-1, 4]), 0), [0, 4]);
    });
    it('comparisons give 1 or 0, and 0 for NaN', () => {
      const a = tensor([1, 2, 3, NaN]);
      const b = tensor([1, 3, 2, NaN]);
      expectTensor(equal(a, b), [1, 0, 0, 0]);
      expectTensor(greater(a, b), [0, 0, 1, 0]);
      expectTensor(greaterEqual(a, b), [1, 0, 1, 0]);
      expectTensor(less(a, b), [0, 1, 0, 0]);
      expectTensor(lessEqual(a, b), [1, 1, 0, 0]);
    });
    it('scalars combine to a scalar; a scalar broadcasts to any shape', () => {
      expectTensor(add(tensor(2), tensor(3)), 5);
      expectTensor(mul(tensor(2), tensor([[1], [2]])), [[2], [4]]);
    });
    it('broadcast a [2,1,3] against [4,1] to [2,4,3]', () => {
      const y = add(tensor([[[0, 1, 2]], [[10, 11, 12]]]), tensor([[100], [200], [300], [400]]));
      expect(y.shape).toEqual([2, 4, 3]);
      expectTensor(y.slice([1, 2, 0], [1, 1, 3]), [[[310, 311, 312]]]);
    });
    it('a size-0 axis broadcasts against size 1', () =>
      expectTensor(add(tensor([[]]), tensor([[1], [2]])), [], { shape: [2, 0] }));
    it('methods match the functions', () => {
      const a = tensor([1, 4]);
      expectTensor(
        a
          .add(1)
          .mul(2)
          .sub(tensor([1, 1]))
          .div(2)
          .pow(2)
          .sqrt()
          .neg()
          .abs(),
        [1.5, 4.5],
      );
      expectTensor(a.maximum(2).minimum(3), [2, 3]);
      expectTensor(a.exp().log(), [1, 4], { rtol: 1e-6 });
    });
  });

  describe('gradients match central differences', () => {
    it.each(Object.keys(UNARY_DOMAIN))('%s', (name) => {
      gradcheck(UNARY[name], [seeded([2, 3], 11, UNARY_DOMAIN[name])]);
    });
    const binaryCases = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'].flatMap((name) =>
      GRAD_PAIRS.map(([sa, sb]) => ({ name, sa, sb })),
    );
    it.each(binaryCases)('$name of $sa and $sb, both inputs', ({ name, sa, sb }) => {
      gradcheck(BINARY[name], binaryInputs(name, sa, sb, sa.length * 7 + sb.length));
    });
    it('pow with respect to the exponent alone, and the base alone', () => {
      const [a, b] = binaryInputs('pow', [4], [4], 3);
      gradcheck(pow, [a, b], { wrt: [1] });
      gradcheck(pow, [a, b], { wrt: [0] });
    });
    it('a tensor combined with itself', () => {
      gradcheck((a) => mul(a, a), [seeded([5], 2)]);
      gradcheck((a) => div(a, add(a, 3)), [seeded([5], 3)]);
      gradcheck((a) => pow(a, a), [seeded([5], 4, { lo: 0.5, hi: 2 })]);
    });
    it('comparisons carry no gradient', () => {
      const a = tensor([1, 2], undefined, { requiresGrad: true });
      expect(greater(a, 1).requiresGrad).toBe(false);
      expect(equal(a, a).node).toBeNull();
    });
  });

  describe('broadcast gradients are summed back to the smaller shape', () => {
    it('add and mul of [2,3] and [3]', () => {
      const a = tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        undefined,
        { requiresGrad: true },
      );
      const b = tensor([10, 20, 30], undefined, { requiresGrad: true });
      add(a, b).sum().backward();
      expectTensor(a.grad!, [
        [1, 1, 1],
        [1, 1, 1],
      ]);
      expectTensor(b.grad!, [2, 2, 2]);
      a.grad = null;
      b.grad = null;
      mul(a, b).sum().backward();
      expectTensor(a.grad!, [
        [10, 20, 30],
        [10, 20, 30],
      ]);
      expectTensor(b.grad!, [5, 7, 9]);
    });
    it('sub of a scalar and a [3,1] column against [1,2]', () => {
      const s = tensor(5, undefined, { requiresGrad: true });
      const c = tensor([[1], [2], [3]], undefined, { requiresGrad: true });
      const r = tensor([[1, 2]], undefined, { requiresGrad: true });
      sub(mul(s, c), r).sum().backward();
      expectTensor(s.grad!, 12); // Σ over [3,2] of c
      expectTensor(c.grad!, [[10], [10], [10]]); // s times 2 columns
      expectTensor(r.grad!, [[-3, -3]]);
    });
  });

  describe('bad input', () => {
    it('mismatched shapes name the op and both shapes', () => {
      expectTensileError(
        () =>
          add(
            tensor([
              [1, 2, 3],
              [4, 5, 6],
            ]),
            tensor([1, 2, 3, 4]),
          ),
        'add',
        '[2, 3]',
        '[4]',
      );
      expectTensileError(() => maximum(tensor([1, 2]), tensor([1, 2, 3])), 'maximum', '[2]', '[3]');
      expectTensileError(
        () =>
          lessEqual(
            tensor([[1], [2]]),
            tensor([
              [1, 2, 3],
              [4, 5, 6],
              [7, 8, 9],
            ]),
          ),
        'lessEqual',
        '[2, 1]',
        '[3, 3]',
      );
    });
    it('non-tensors are refused by name', () => {
      expectTensileError(() => exp('x' as never), 'exp', 'string');
      expectTensileError(() => mul(tensor([1]), null as never), 'mul', 'b', 'null');
      expectTensileError(() => add([1, [2]] as never, 1), 'tensor', 'ragged');
    });
  });

  it('leaves every input unchanged, forward and backward', () => {
    for (const name of Object.keys(UNARY)) expectPure(UNARY[name], [seeded([2, 3], 5, { lo: 0.2, hi: 2 })]);
    for (const name of Object.keys(BINARY)) expectPure(BINARY[name], binaryInputs(name, [2, 3], [3], 6));
  });
});

// ---- native vs reference ---------------------------------------------------------------------

const UNARY_SHAPES: number[][] = [[], [1], [0], [7], [3, 4], [2, 0, 3], [5, 1, 3], [1000], [33, 17]];
// Broadcasting in each position: a, b or both, leading or inner, scalars, size 0 and size 1.
const BINARY_SHAPES: [number[], number[]][] = [
  [[], []],
  [[1], [1]],
  [[0], [0]],
  [[0, 3], [3]],
  [
    [2, 0],
    [2, 1],
  ],
  [[5], [5]],
  [
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [4]],
  [[4], [3, 4]],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [3, 4],
    [3, 1],
  ],
  [
    [1, 4],
    [3, 4],
  ],
  [
    [2, 3, 4],
    [3, 1],
  ],
  [
    [2, 1, 4],
    [1, 3, 1],
  ],
  [[], [2, 3]],
  [[2, 3], []],
  [
    [2, 3, 4, 5],
    [1, 3, 1, 5],
  ],
  [[64, 65], [65]],
];

describe.skipIf(!nativeLoaded)('element-wise native vs reference', () => {
  const unary = Object.keys(UNARY).flatMap((name) => UNARY_SHAPES.map((shape) => ({ name, shape })));
  it.each(unary)('$name $shape', ({ name, shape }) => {
    // Large values reach float32's edge: overflow to Infinity must agree too.
    FLAVORS.forEach((f, i) => expectBackendsAgree(UNARY[name], [flavoredTensor(shape, 100 + i, f, 3e38)]));
  });
  const binary = Object.keys(BINARY).flatMap((name) => BINARY_SHAPES.map(([sa, sb]) => ({ name, sa, sb })));
  it.each(binary)('$name $sa with $sb', ({ name, sa, sb }) => {
    FLAVORS.forEach((f, i) =>
      expectBackendsAgree(BINARY[name], [flavoredTensor(sa, 200 + i, f, 3e38), flavoredTensor(sb, 300 + i, f, 3e38)]),
    );
  });
});
