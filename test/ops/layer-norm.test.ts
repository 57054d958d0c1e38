import { describe, expect, it } from 'vitest';
import { type Tensor, layerNorm, tensor, zeros } from '../../lib/index.js';
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

describe.each(availableBackends())('layerNorm on %s', (backend) => {
  useBackend(backend);

  it('matches hand-computed values (epsilon 1e-3 by default, biased variance)', () => {
    expectTensor(layerNorm(tensor([[1, 2, 3]]), null, null), [[-1.22382734, 0, 1.22382734]], { rtol: 1e-5 });
    const y = layerNorm(
      tensor([
        [0, 4],
        [1, 1],
      ]),
      tensor([2, 1]),
      tensor([0.5, -1]),
    );
    expectTensor(
      y,
      [
        [-1.49975005, -1.24976567e-4],
        [0.5, -1],
      ],
      { rtol: 1e-5, atol: 1e-6 },
    );
    expectTensor(layerNorm(tensor([[1, 3]]), null, null, { epsilon: 0 }), [[-1, 1]]);
  });
  it('normalizes over several trailing axes, and a lone beta or gamma', () => {
    const x = seeded([2, 3, 4], 3, { lo: -2, hi: 2 });
    const flat = layerNorm(x.reshape([2, 12]), null, null).reshape([2, 3, 4]);
    expectTensor(layerNorm(x, null, null, { axis: [-2, -1] }), flat.arraySync(), { rtol: 1e-5, atol: 1e-6 });
    expectTensor(layerNorm(tensor([[1, 3]]), null, tensor([1, 2]), { epsilon: 0 }), [[0, 3]]);
    expectTensor(layerNorm(tensor([[1, 3]]), tensor([3, 1]), null, { epsilon: 0 }), [[-3, 1]]);
  });
  it('keeps empty shapes; a single column normalizes to beta', () => {
    expectTensor(layerNorm(zeros([0, 4]), null, null), [], { shape: [0, 4] });
    expectTensor(layerNorm(zeros([3, 0]), null, null), [[], [], []]);
    expectTensor(layerNorm(tensor([[5], [-7]]), null, tensor([0.25])), [[0.25], [0.25]]);
  });
  it('large values stay finite; NaN spoils only its row', () => {
    const y = layerNorm(
      tensor([
        [1e30, -1e30],
        [1e4, 1e4 + 1],
      ]),
      null,
      null,
    );
    expect(y.data.every(Number.isFinite)).toBe(true);
    expectTensor(
      layerNorm(
        tensor([
          [NaN, 1],
          [0, 2],
        ]),
        null,
        null,
        { epsilon: 0 },
      ),
      [
        [NaN, NaN],
        [-1, 1],
      ],
    );
  });
  it.each([
    { shape: [3, 5], axis: -1 },
    { shape: [2, 3, 4], axis: -1 },
    { shape: [2, 3, 4], axis: [1, 2] },
    { shape: [4, 1], axis: -1 },
  ])('has the gradient of central differences for x, gamma, beta: $shape over $axis', ({ shape, axis }) => {
    const p = typeof axis === 'number' ? [shape[shape.length - 1]] : shape.slice(1);
    gradcheck(
      (x, g, b) => layerNorm(x, g, b, { axis }),
      [seeded(shape, 7, { lo: -2, hi: 2 }), seeded(p, 8, { lo: 0.5, hi: 1.5 }), seeded(p, 9)],
    );
  });
  it('has the gradient of central differences without gamma and beta', () => {
    gradcheck((x) => layerNorm(x, null, null), [seeded([3, 6], 10, { lo: -2, hi: 2 })]);
  });
  it('rejects bad input naming the op and shapes', () => {
    expectTensileError(() => layerNorm(tensor(1), null, null), 'layerNorm', 'scalar');
    expectTensileError(() => layerNorm(zeros([2, 3]), zeros([4]), null), 'layerNorm', 'gamma', '[3]', '[4]');
    expectTensileError(
      () => layerNorm(zeros([2, 3, 4]), null, null, { axis: 1 }),
      'layerNorm',
      'trailing',
      '[2, 3, 4]',
    );
    expectTensileError(() => layerNorm(zeros([2, 3]), null, null, { epsilon: -1 }), 'layerNorm', 'epsilon');
  });
  it('leaves its inputs unchanged', () => {
    expectPure((x, g, b) => layerNorm(x, g, b), [seeded([3, 4], 1), seeded([4], 2), seeded([4], 3)]);
  });
});

describe.skipIf(!nativeLoaded)('layerNorm native vs reference', () => {
  it.each([[5], [1, 1], [3, 4], [2, 3, 7], [0, 4], [4, 0], [7, 129]])('%j', (...shape) => {
    const cols = shape[shape.length - 1];
    FLAVORS.forEach((f, i) => {
      const x = flavoredTensor(shape, 300 + i, f, 1e4);
      const fn = (u: Tensor, g: Tensor, b: Tensor) => layerNorm(u, g, b);
      expectBackendsAgree(fn, [x, seeded([cols], 4, { lo: 0.5, hi: 1.5 }), seeded([cols], 5)], {
        rtol: 1e-4,
        atol: 1e-5,
      });
    });
  });
  it.each([
    [3, 4],
    [2, 5, 8],
    [1, 64],
  ])('gradients %j', (...shape) => {
    const cols = shape[shape.length - 1];
    expectGradsAgree(
      (u, g, b) => layerNorm(u, g, b),
      [seeded(shape, 6, { lo: -3, hi: 3 }), seeded([cols], 7), seeded([cols], 8)],
      { rtol: 1e-4, atol: 1e-5 },
    );
  });
});
