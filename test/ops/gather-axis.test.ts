import { describe, expect, it } from 'vitest';
import { type Tensor, arange, gather, reshape, tensor } from '../../lib/index.js';
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

// gather(x, indices, axis): tfjs' signature. Before, the axis was ignored and rows were gathered.
describe.each(availableBackends())('gather along an axis on %s', (backend) => {
  useBackend(backend);
  const m = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const cube = reshape(arange(24), [2, 3, 4]);

  it('picks columns with axis 1 and -1', () => {
    expectTensor(gather(m, [2, 0], 1), [
      [3, 1],
      [6, 4],
    ]);
    expectTensor(gather(m, [2, 0], -1), [
      [3, 1],
      [6, 4],
    ]);
    expectTensor(m.gather([1], 1), [[2], [5]]);
    expectTensor(gather(m, [1, 0], 0), [
      [4, 5, 6],
      [1, 2, 3],
    ]);
  });
  it('puts the index axes where the gathered axis was', () => {
    const g = gather(
      cube,
      [
        [2, 0],
        [1, 1],
        [0, 0],
      ],
      1,
    );
    expect(g.shape).toEqual([2, 3, 2, 4]);
    expectTensor(g.slice([1, 0, 0, 0], [1, 1, 2, 4]).reshape([2, 4]), [
      [20, 21, 22, 23],
      [12, 13, 14, 15],
    ]);
    const last = gather(cube, [3, 0], 2);
    expect(last.shape).toEqual([2, 3, 2]);
    expectTensor(last, [
      [
        [3, 0],
        [7, 4],
        [11, 8],
      ],
      [
        [15, 12],
        [19, 16],
        [23, 20],
      ],
    ]);
    expectTensor(gather(cube, 1, 2), [
      [1, 5, 9],
      [13, 17, 21],
    ]);
    expect(gather(cube, [], 1).shape).toEqual([2, 0, 4]);
  });
  it('matches central differences along inner axes', () => {
    gradcheck((x) => gather(x, [2, 0, 2], 1), [seeded([2, 3], 1)]);
    gradcheck(
      (x) =>
        gather(
          x,
          [
            [1, 0],
            [3, 3],
          ],
          -1,
        ),
      [seeded([2, 3, 4], 2)],
    );
  });
  it('checks indices against the axis length and rejects a missing axis', () => {
    expectTensileError(() => gather(m, [3], 1), 'gather', 'index 3');
    expectTensileError(() => gather(m, [0], 2), 'gather', 'axis 2', '[2, 3]');
    expectTensileError(() => gather(m, [0], -3), 'gather', 'axis -3');
  });
  it('leaves its inputs unchanged', () => expectPure((x) => gather(x, [1, 0, 1], 2), [seeded([2, 3, 2], 3)]));
});

describe.skipIf(!nativeLoaded)('gather along an axis: native vs reference', () => {
  const cases: [number[], number[], number][] = [
    [[3, 4], [3, 0, 3], 1],
    [[2, 3, 5], [4, 0], -1],
    [[2, 1, 3], [0, 0], 1],
    [[2, 0, 3], [1], 2],
    [[33, 65], [64, 0, 7], 1],
  ];
  it.each(cases)('shape %j, indices %j, axis %i', (shape, idx, axis) => {
    for (const flavor of ['normal', 'large', 'special'] as const) {
      const x: Tensor = flavoredTensor(shape, 5, flavor);
      expectBackendsAgree((t) => gather(t, idx, axis), [x], { bitwise: true });
    }
    if (shape.every((d) => d > 0)) expectGradsAgree((t) => gather(t, idx, axis), [flavoredTensor(shape, 6, 'normal')]);
  });
});
