import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectBackendsAgree,
  expectTensileError,
  expectTensor,
  flavoredTensor,
  seeded,
  useBackend,
} from '../helpers/ops.js';

// int32 and bool beside float32: a tag on float32 storage (lib/tensor/dtype.ts).
describe.each(availableBackends())('dtypes on %s', (backend) => {
  useBackend(backend);

  it('creation takes a dtype: int32 truncates toward zero, bool is 1 where not 0', () => {
    const i = tl.tensor([1.9, -1.9, 0, 7], undefined, { dtype: 'int32' });
    expect(i.dtype).toBe('int32');
    expectTensor(i, [1, -1, 0, 7]);
    const b = tl.tensor([0, 2, -0.5, NaN], undefined, { dtype: 'bool' });
    expect(b.dtype).toBe('bool');
    expectTensor(b, [0, 1, 1, 1]);
    expect(tl.tensor([1, 2]).dtype).toBe('float32');
    expect(tl.zeros([2], { dtype: 'int32' }).dtype).toBe('int32');
    expect(tl.range(0, 3, 1, 'int32').dtype).toBe('int32');
    expect(tl.tensor(Int32Array.of(3, 4), [2], { dtype: 'int32' }).arraySync()).toEqual([3, 4]);
  });
  it('refuses what it cannot hold exactly, and grads of integers', () => {
    expectTensileError(() => tl.tensor([2 ** 24 + 2], undefined, { dtype: 'int32' }), 'tensor', '2^24');
    expectTensileError(() => tl.tensor([1], undefined, { dtype: 'int64' as never }), 'tensor', "'int64'");
    expectTensileError(
      () => tl.tensor([1], undefined, { dtype: 'int32', requiresGrad: true }),
      'tensor',
      'cannot require grad',
    );
  });
  it('cast converts like creation; float32 → float32 passes the gradient', () => {
    const x = tl.tensor([1.5, -2.5, 0]);
    expect(tl.cast(x, 'int32').dtype).toBe('int32');
    expectTensor(tl.cast(x, 'int32'), [1, -2, 0]);
    expectTensor(x.asType('bool'), [1, 1, 0]);
    expectTensor(x.toInt().toFloat(), [1, -2, 0]);
    expect(x.toInt().toFloat().dtype).toBe('float32');
    gradcheck((t) => tl.cast(t, 'float32').mul(t), [seeded([3], 1)]);
    const w = tl.tensor([1.5], undefined, { requiresGrad: true });
    expect(tl.cast(w, 'int32').requiresGrad).toBe(false);
  });
  it('comparisons give bool, argmax int32, sums of integers int32, means float32', () => {
    const a = tl.tensor([1, 5, 3]);
    expect(tl.equal(a, 5).dtype).toBe('bool');
    expect(a.greater(2).dtype).toBe('bool');
    expect(tl.argmax(a).dtype).toBe('int32');
    expect(a.argMax().dtype).toBe('int32');
    const hits = tl.equal(
      tl
        .tensor([
          [1, 2],
          [0, 2],
        ])
        .argMax(1),
      tl.tensor([1, 1], undefined, { dtype: 'int32' }),
    );
    expect(hits.dtype).toBe('bool');
    expect(hits.sum().dtype).toBe('int32');
    expect(hits.sum().item()).toBe(2);
    expect(hits.mean().dtype).toBe('float32');
    expect(hits.mean().item()).toBe(1);
    const i = tl.tensor([1, 2], undefined, { dtype: 'int32' });
    expect(tl.add(i, i).dtype).toBe('int32');
    expect(tl.add(i, tl.tensor([0.5, 0.5])).dtype).toBe('float32');
    expect(tl.div(i, i).dtype).toBe('float32');
  });
  it('layout ops keep the dtype', () => {
    const i = tl.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      undefined,
      { dtype: 'int32' },
    );
    for (const t of [
      i.reshape([4]),
      i.transpose(),
      i.slice([0, 0], [1, 2]),
      tl.gather(i, [1]),
      tl.concat([i, i]),
      tl.expandDims(i),
      tl.stack([i, i]),
      i.tile([1, 2]),
    ])
      expect(t.dtype).toBe('int32');
    expect(tl.concat([i, tl.ones([1, 2])]).dtype).toBe('float32');
  });
});

describe.skipIf(!availableBackends().includes('native'))('cast: native vs reference', () => {
  it.each([[[5]], [[2, 3]], [[0, 4]], [[1]]])('shape %j, all flavors', (shape) => {
    for (const flavor of ['normal', 'large', 'special'] as const)
      for (const d of ['float32', 'bool'] as const)
        expectBackendsAgree((t) => tl.cast(t, d), [flavoredTensor(shape, 3, flavor)], { bitwise: true });
  });
});
