import { describe, it } from 'vitest';
import { DENSE_ACTIVATIONS } from '../../lib/backend/kinds.js';
import { add, matmul, relu, sigmoid, softmax, tanh, tensor, type Tensor } from '../../lib/index.js';
import { dense } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  expectSameTensor,
  expectTensileError,
  seeded,
  useBackend,
} from '../helpers/ops.js';

const ACT: Record<string, (t: Tensor) => Tensor> = {
  linear: (t) => t,
  relu,
  sigmoid,
  tanh,
  softmax: (t) => softmax(t),
};
// The same math as separate ops: what the fused kernel must reproduce.
const unfused = (act: string) => (x: Tensor, w: Tensor, b?: Tensor) =>
  ACT[act](b ? add(matmul(x, w), b) : matmul(x, w));

describe.each(availableBackends())('dense on %s', (backend) => {
  useBackend(backend);
  it.each(DENSE_ACTIVATIONS)('%s equals activation(x·w + b) built from ops', (act) => {
    const x = seeded([5, 4], 1),
      w = seeded([4, 3], 2),
      b = seeded([3], 3);
    expectSameTensor(dense(x, w, b, act), unfused(act)(x, w, b), { rtol: 1e-5, atol: 1e-6 });
    expectSameTensor(dense(x, w, null, act), unfused(act)(x, w), { rtol: 1e-5, atol: 1e-6 });
  });
  it('computes a hand-checked value', () => {
    expectSameTensor(
      dense(
        tensor([[1, 2]]),
        tensor([
          [1, -1],
          [2, 0],
        ]),
        tensor([0.5, 0.5]),
        'relu',
      ),
      tensor([[5.5, 0]]),
    );
  });
  it.each(DENSE_ACTIVATIONS)('%s has the gradient of central differences for x, w and b', (act) => {
    // Inputs keep pre-activations away from relu's kink at 0.
    const x = seeded([3, 4], 11, { avoid: [0] }),
      w = seeded([4, 2], 12, { avoid: [0] }),
      b = tensor([0.37, -0.41]);
    gradcheck((xi, wi, bi) => dense(xi, wi, bi, act).square().sum(), [x, w, b]);
    gradcheck((xi, wi) => dense(xi, wi, null, act).square().sum(), [x, w]);
  });
  it('handles empty batches and size-1 dimensions', () => {
    expectSameTensor(
      dense(seeded([0, 3], 1), seeded([3, 2], 2), seeded([2], 3), 'relu'),
      tensor(new Float32Array(0), [0, 2]),
    );
    expectSameTensor(dense(seeded([1, 1], 1), seeded([1, 1], 2), seeded([1], 3), 'softmax'), tensor([[1]]));
  });
  it('rejects mismatched shapes naming them', () => {
    expectTensileError(() => dense(seeded([2, 3], 1), seeded([4, 2], 2), null), 'dense', '[2, 3]', '[4, 2]');
    expectTensileError(() => dense(seeded([2, 3], 1), seeded([3, 2], 2), seeded([3], 3)), 'dense', 'bias [3]');
  });
});

describe.skipIf(!nativeLoaded)('dense native vs reference', () => {
  const SHAPES: [number, number, number][] = [
    [1, 1, 1],
    [32, 10, 10],
    [7, 33, 5],
    [128, 64, 10],
    [0, 4, 3],
    [3, 0, 2],
  ];
  it.each(DENSE_ACTIVATIONS.flatMap((a) => SHAPES.map((s) => [a, ...s] as const)))(
    '%s m=%i k=%i n=%i',
    (act, m, k, n) => {
      const x = seeded([m, k], m + k),
        w = seeded([k, n], n + 7),
        b = seeded([n], 5);
      expectBackendsAgree((xi, wi, bi) => dense(xi, wi, bi, act), [x, w, b], { rtol: 1e-4, atol: 1e-5 });
      expectGradsAgree((xi, wi, bi) => dense(xi, wi, bi, act), [x, w, b], { rtol: 1e-4, atol: 1e-5 });
    },
  );
  it('propagates NaN and Infinity', () => {
    const x = tensor([
        [NaN, 1],
        [Infinity, 0],
      ]),
      w = tensor([
        [1, 0],
        [0, 1],
      ]);
    for (const act of DENSE_ACTIVATIONS) expectBackendsAgree((xi, wi) => dense(xi, wi, null, act), [x, w]);
  });
});
