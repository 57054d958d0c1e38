import { describe, expect, it } from 'vitest';
import { type Tensor, matmul, tensor, zeros } from '../../lib/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  type Flavor,
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

interface Case {
  a: number[];
  b: number[];
  tA?: boolean;
  tB?: boolean;
}
const mm =
  ({ tA = false, tB = false }: Case) =>
  (a: Tensor, b: Tensor) =>
    matmul(a, b, { transposeA: tA, transposeB: tB });
const label = ({ a, b, tA, tB }: Case) => `[${a}]${tA ? 'ᵀ' : ''} · [${b}]${tB ? 'ᵀ' : ''}`;

// Every layout the op accepts: plain, transposed, batched, batch broadcast from either side, 3-D × 2-D, 2-D × 3-D.
const GRAD_CASES: Case[] = [
  { a: [3, 4], b: [4, 2] },
  { a: [4, 3], b: [4, 2], tA: true },
  { a: [3, 4], b: [2, 4], tB: true },
  { a: [4, 3], b: [2, 4], tA: true, tB: true },
  { a: [2, 3, 4], b: [2, 4, 5] },
  { a: [1, 3, 4], b: [2, 4, 2] },
  { a: [2, 3, 4], b: [1, 4, 2] },
  { a: [2, 3, 4], b: [4, 2] },
  { a: [3, 4], b: [2, 4, 2] },
  { a: [2, 4, 3], b: [4, 2], tA: true },
  { a: [2, 3, 4], b: [2, 2, 4], tB: true },
  { a: [4, 3], b: [2, 4, 2], tA: true },
  { a: [2, 4, 3], b: [1, 2, 4], tA: true, tB: true },
];

describe.each(availableBackends())('matmul on %s', (backend) => {
  useBackend(backend);
  const A = tensor([
    [1, 2],
    [3, 4],
  ]);
  const B = tensor([
    [5, 6],
    [7, 8],
  ]);
  const A3 = tensor([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [1, 0],
      [0, 1],
    ],
  ]);
  const B3 = tensor([
    [
      [5, 6],
      [7, 8],
    ],
    [
      [2, 3],
      [4, 5],
    ],
  ]);

  describe('hand-checked values', () => {
    it('multiplies 2-D matrices', () => {
      expectTensor(matmul(A, B), [
        [19, 22],
        [43, 50],
      ]);
      expectTensor(
        matmul(
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
          [[1], [0], [-1]],
        ),
        [[-2], [-2]],
      );
      expectTensor(matmul([[1, 2, 3]], [[4], [5], [6]]), [[32]]);
    });
    it('applies transposeA and transposeB without copying the caller’s layout', () => {
      expectTensor(
        matmul(
          [
            [1, 3],
            [2, 4],
          ],
          B,
          { transposeA: true },
        ),
        [
          [19, 22],
          [43, 50],
        ],
      );
      expectTensor(
        matmul(
          A,
          [
            [5, 7],
            [6, 8],
          ],
          { transposeB: true },
        ),
        [
          [19, 22],
          [43, 50],
        ],
      );
      expectTensor(matmul(A, A, { transposeA: true, transposeB: true }), [
        [7, 15],
        [10, 22],
      ]);
      expectTensor(A.matmul(B, { transposeB: true }), [
        [17, 23],
        [39, 53],
      ]);
    });
    it('multiplies batches pairwise', () =>
      expectTensor(matmul(A3, B3), [
        [
          [19, 22],
          [43, 50],
        ],
        [
          [2, 3],
          [4, 5],
        ],
      ]));
    it('broadcasts a batch of 1 against a batch of 2', () => {
      expectTensor(
        matmul(
          tensor([
            [
              [1, 2],
              [3, 4],
            ],
          ]),
          B3,
        ),
        [
          [
            [19, 22],
            [43, 50],
          ],
          [
            [10, 13],
            [22, 29],
          ],
        ],
      );
      expectTensor(
        matmul(
          A3,
          tensor([
            [
              [5, 6],
              [7, 8],
            ],
          ]),
        ),
        [
          [
            [19, 22],
            [43, 50],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
      );
    });
    it('multiplies 3-D by 2-D and 2-D by 3-D', () => {
      expectTensor(matmul(A3, B), [
        [
          [19, 22],
          [43, 50],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ]);
      expectTensor(matmul(A, B3), [
        [
          [19, 22],
          [43, 50],
        ],
        [
          [10, 13],
          [22, 29],
        ],
      ]);
    });
    it('transposes inside each batch', () => {
      // A3 transposed per batch: [[1,3],[2,4]] and the identity.
      expectTensor(matmul(A3, B3, { transposeA: true }), [
        [
          [26, 30],
          [38, 44],
        ],
        [
          [2, 3],
          [4, 5],
        ],
      ]);
      expectTensor(matmul(A3, B, { transposeB: true }), [
        [
          [17, 23],
          [39, 53],
        ],
        [
          [5, 7],
          [6, 8],
        ],
      ]);
    });
    it('handles size-0 dimensions: an empty product is zeros', () => {
      expectTensor(matmul(zeros([0, 3]), zeros([3, 4])), [], { shape: [0, 4] });
      expectTensor(matmul(zeros([2, 0]), zeros([0, 3])), [
        [0, 0, 0],
        [0, 0, 0],
      ]);
      expectTensor(matmul(zeros([3, 2, 4]), zeros([4, 0])), [], { shape: [3, 2, 0] });
    });
    it('propagates NaN and Infinity', () => {
      expectTensor(
        matmul(
          [
            [NaN, 1],
            [1, 1],
          ],
          [
            [1, 1],
            [1, 1],
          ],
        ),
        [
          [NaN, NaN],
          [2, 2],
        ],
      );
      expectTensor(matmul([[Infinity, 1]], [[1], [1]]), [[Infinity]]);
      expectTensor(matmul([[Infinity, 1]], [[0], [1]]), [[NaN]]);
    });
  });

  describe('gradients match central differences', () => {
    it.each(GRAD_CASES.map((c) => ({ ...c, name: label(c) })))('$name, both inputs', (c) => {
      gradcheck(mm(c), [seeded(c.a, 1), seeded(c.b, 2)]);
    });
    it('a matrix times itself', () => gradcheck((a) => matmul(a, a, { transposeB: true }), [seeded([3, 3], 3)]));
    it('a product of products', () =>
      gradcheck((a, b, c) => matmul(matmul(a, b), c), [seeded([2, 3], 4), seeded([3, 4], 5), seeded([4, 2], 6)]));
  });

  describe('bad input', () => {
    it('inner dimensions that differ name the op and both shapes', () => {
      expectTensileError(() => matmul(zeros([2, 3]), zeros([4, 2])), 'matmul', '[2, 3]', '[4, 2]');
      expectTensileError(
        () => matmul(zeros([3, 2]), zeros([2, 3]), { transposeB: true }),
        'matmul',
        '[3, 2]',
        '[2, 3] (transposed)',
      );
      expectTensileError(() => matmul(zeros([2, 2, 3]), zeros([2, 2, 3])), 'matmul', '[2, 2, 3]');
    });
    it('batches that cannot broadcast', () =>
      expectTensileError(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 2])), 'matmul', '[2, 2, 3]', '[3, 3, 2]'));
    it('ranks other than 2 and 3', () => {
      expectTensileError(() => matmul(zeros([3]), zeros([3, 2])), 'matmul', '[3]', '[3, 2]');
      expectTensileError(() => matmul(zeros([1, 1, 2, 3]), zeros([3, 2])), 'matmul', '[1, 1, 2, 3]');
      expectTensileError(() => matmul(tensor(2), zeros([1, 1])), 'matmul', '[]');
    });
  });

  it('leaves every input unchanged, forward and backward', () => {
    for (const c of GRAD_CASES) expectPure(mm(c), [seeded(c.a, 1), seeded(c.b, 2)]);
  });
});

// ---- native vs reference ---------------------------------------------------------------------

const DIFF_CASES: Case[] = [
  { a: [1, 1], b: [1, 1] },
  { a: [2, 3], b: [3, 4] },
  { a: [0, 3], b: [3, 4] },
  { a: [2, 0], b: [0, 4] },
  { a: [3, 4], b: [4, 0] },
  { a: [5, 1], b: [1, 6] },
  { a: [1, 9], b: [9, 1] },
  { a: [17, 33], b: [33, 9] },
  { a: [3, 2], b: [3, 4], tA: true },
  { a: [2, 3], b: [4, 3], tB: true },
  { a: [33, 17], b: [9, 33], tA: true, tB: true },
  { a: [4, 2, 3], b: [4, 3, 5] },
  { a: [1, 2, 3], b: [4, 3, 5] },
  { a: [4, 2, 3], b: [1, 3, 5] },
  { a: [4, 2, 3], b: [3, 5] },
  { a: [2, 3], b: [4, 3, 5] },
  { a: [4, 3, 2], b: [3, 5], tA: true },
  { a: [4, 2, 3], b: [4, 5, 3], tB: true },
  { a: [0, 2, 3], b: [0, 3, 4] },
  { a: [1, 2, 3], b: [1, 3, 4] },
  { a: [3, 1, 7], b: [3, 7, 1] },
  { a: [2, 5, 3], b: [1, 4, 3], tB: true },
  { a: [3, 5, 2], b: [3, 4, 5], tA: true, tB: true },
  { a: [5, 3], b: [2, 5, 4], tA: true },
  { a: [2, 16, 64], b: [64, 65] },
];
// Large values stay where a product of k terms cannot overflow float32, whatever the order of accumulation.
const MATMUL_FLAVORS: [Flavor, number][] = [
  ['normal', 1],
  ['large', 1e15],
  ['special', 1e3],
];

describe.skipIf(!nativeLoaded)('matmul native vs reference', () => {
  it.each(DIFF_CASES.map((c) => ({ ...c, name: label(c) })))('$name', (c) => {
    const k = c.tA ? c.a[c.a.length - 2] : c.a[c.a.length - 1];
    MATMUL_FLAVORS.forEach(([f, large], i) => {
      const a = flavoredTensor(c.a, 700 + i, f, large);
      const b = flavoredTensor(c.b, 800 + i, f, large);
      // GEMM accumulates in float32 in its own order; the reference in float64.
      expectBackendsAgree(mm(c), [a, b], { rtol: 1e-5, atol: 2e-6 * k * maxAbs(a) * maxAbs(b) + 1e-6 });
    });
  });
  it.each(GRAD_CASES.map((c) => ({ ...c, name: label(c) })))('gradient of $name', (c) => {
    expectGradsAgree(mm(c), [seeded(c.a, 1), seeded(c.b, 2)], { atol: 1e-5 });
  });
  it('the batch-broadcast gradient sums over the batch on both', () => {
    const a = seeded([1, 3, 4], 3);
    expect(a.shape).toEqual([1, 3, 4]);
    expectGradsAgree((x, y) => matmul(x, y), [a, seeded([6, 4, 2], 4)], { atol: 1e-5 });
  });
});
