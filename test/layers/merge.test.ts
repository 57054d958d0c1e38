import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import {
  availableBackends,
  expectSameTensor,
  expectTensileError,
  expectTensor,
  onBackend,
  seeded,
  useBackend,
} from '../helpers/ops.js';

const a = tl.tensor([
  [1, -2, 3],
  [4, 5, -6],
]);
const b = tl.tensor([
  [2, 2, -1],
  [0, 7, 1],
]);
const c = tl.tensor([[1], [2]]);

describe.each(availableBackends())('merge layers on %s', (backend) => {
  useBackend(backend);

  it('add, subtract, multiply, average, maximum, minimum: hand-checked values', () => {
    expectTensor(tl.layers.add().apply([a, b, c]), [
      [4, 1, 3],
      [6, 14, -3],
    ]);
    expectTensor(tl.layers.subtract().apply([a, b]), [
      [-1, -4, 4],
      [4, -2, -7],
    ]);
    expectTensor(tl.layers.multiply().apply([a, b]), [
      [2, -4, -3],
      [0, 35, -6],
    ]);
    expectTensor(tl.layers.average().apply([a, b]), [
      [1.5, 0, 1],
      [2, 6, -2.5],
    ]);
    expectTensor(tl.layers.maximum().apply([a, b]), [
      [2, 2, 3],
      [4, 7, 1],
    ]);
    expectTensor(tl.layers.minimum().apply([a, b]), [
      [1, -2, -1],
      [0, 5, -6],
    ]);
  });

  it('broadcast by sample as Keras: [b, 3] with [b, 4, 3] adds the row to every step (not the batch to the steps)', () => {
    const seq = seeded([2, 4, 3], 1);
    const y = tl.layers.add().apply([a, seq]);
    expect(y.shape).toEqual([2, 4, 3]);
    expectSameTensor(y, tl.add(seq, tl.reshape(a, [2, 1, 3])));
  });

  it('concatenate along the last axis and an inner axis; dot of vectors, of matrices and with normalize', () => {
    expectTensor(tl.layers.concatenate().apply([a, c]), [
      [1, -2, 3, 1],
      [4, 5, -6, 2],
    ]);
    const s1 = seeded([2, 3, 4], 2),
      s2 = seeded([2, 5, 4], 3);
    expectSameTensor(tl.layers.concatenate({ axis: 1 }).apply([s1, s2]), tl.concat([s1, s2], 1));
    expectTensor(tl.layers.dot({ axes: 1 }).apply([a, b]), [[-5], [29]]);
    // [b, 3, 4]·[b, 5, 4] over the last axes: [b, 3, 5] = s1 · s2ᵀ per sample.
    expectSameTensor(tl.layers.dot({ axes: 2 }).apply([s1, s2]), tl.matmul(s1, tl.transpose(s2, [0, 2, 1])), {
      rtol: 1e-5,
    });
    expectSameTensor(
      tl.layers.dot({ axes: [1, 1] }).apply([s1, seeded([2, 3, 2], 4)]),
      tl.matmul(tl.transpose(s1, [0, 2, 1]), seeded([2, 3, 2], 4)),
      { rtol: 1e-5 },
    );
    const cos = tl.layers.dot({ axes: 1, normalize: true }).apply([a, tl.mul(a, 3)]);
    expectTensor(cos, [[1], [1]], { atol: 1e-6 });
  });

  it('have the gradients of central differences in every input', () => {
    const x = seeded([2, 3], 5, { margin: 0.1 }),
      y = seeded([2, 3], 6, { margin: 0.1 }).add(0.05),
      z = seeded([2, 1], 7);
    for (const layer of [
      tl.layers.add(),
      tl.layers.subtract(),
      tl.layers.multiply(),
      tl.layers.average(),
      tl.layers.maximum(),
      tl.layers.minimum(),
    ])
      gradcheck((p, q) => layer.apply([p, q]), [x, y]);
    gradcheck((p, q) => tl.layers.add().apply([p, q]), [x, z]);
    gradcheck((p, q) => tl.layers.concatenate().apply([p, q]), [x, z]);
    gradcheck((p, q) => tl.layers.dot({ axes: 1, normalize: true }).apply([p, q]), [x, y]);
    gradcheck((p, q) => tl.layers.dot({ axes: [2, 2] }).apply([p, q]), [seeded([2, 3, 4], 8), seeded([2, 2, 4], 9)]);
  });
});

it('native and reference agree on merged values, with size-1 and empty batches and NaN/Inf', () => {
  const backends = availableBackends();
  if (backends.length < 2) return;
  for (const [n, special] of [
    [0, 0],
    [1, 0],
    [5, NaN],
    [3, Infinity],
    [4, 1e30],
  ] as const) {
    const x = tl.tensor(
      Float32Array.from({ length: n * 6 }, (_, i) => (i === 2 ? special : Math.sin(i + 1))),
      [n, 6],
    );
    const y = tl.tensor(
      Float32Array.from({ length: n * 6 }, (_, i) => Math.cos(i)),
      [n, 6],
    );
    for (const make of [
      () => tl.layers.add(),
      () => tl.layers.multiply(),
      () => tl.layers.maximum(),
      () => tl.layers.concatenate(),
      () => tl.layers.dot({ axes: 1 }),
    ]) {
      const [r, nat] = backends.map((be) => onBackend(be, () => make().apply([x, y])));
      expect(nat.shape).toEqual(r.shape);
      expectSameTensor(nat, r, { rtol: 1e-5 });
    }
  }
});

describe('merge layers on symbolic tensors', () => {
  it('compute Keras output shapes, unknown dimensions kept', () => {
    const p = tl.input({ shape: [4, 3] }),
      q = tl.input({ shape: [3] }),
      r = tl.input({ shape: [null, 3] });
    expect(tl.layers.add().apply([p, q]).shape).toEqual([null, 4, 3]);
    expect(tl.layers.maximum().apply([p, r]).shape).toEqual([null, 4, 3]);
    expect(tl.layers.concatenate({ axis: 1 }).apply([p, r]).shape).toEqual([null, null, 3]);
    expect(tl.layers.concatenate().apply([p, p]).shape).toEqual([null, 4, 6]);
    expect(tl.layers.dot({ axes: 2 }).apply([p, tl.input({ shape: [5, 3] })]).shape).toEqual([null, 4, 5]);
    expect(tl.layers.dot({ axes: 1 }).apply([q, q]).shape).toEqual([null, 1]);
  });

  it('refuse mismatched shapes, one input and bad options with errors naming the layer and shapes', () => {
    const p = tl.input({ shape: [4] }),
      q = tl.input({ shape: [3] });
    expectTensileError(
      () => tl.layers.add({ name: 'sum1' }).apply([p, q]),
      'sum1',
      '[null, 4], [null, 3]',
      'axis 1 has sizes 4 and 3',
    );
    expectTensileError(() => tl.layers.subtract({ name: 'sub1' }).apply([p, p, p]), 'sub1', 'exactly 2 inputs, got 3');
    expectTensileError(
      () => tl.layers.add({ name: 'one' }).apply(p),
      'one',
      'a list of at least 2 inputs',
      '[null, 4]',
    );
    expectTensileError(
      () => tl.layers.concatenate({ name: 'cat' }).apply([tl.input({ shape: [2, 3] }), tl.input({ shape: [3, 3] })]),
      'cat',
      '[null, 2, 3], [null, 3, 3]',
      'axis -1',
    );
    expectTensileError(
      () => tl.layers.concatenate({ axis: 0, name: 'cat0' }).apply([p, p]),
      'cat0',
      'axis 0 is outside the sample axes',
    );
    expectTensileError(
      () => tl.layers.dot({ axes: 1, name: 'dot1' }).apply([p, q]),
      'dot1',
      'axis 1 of [null, 4] has size 4',
      'axis 1 of [null, 3] has size 3',
    );
    expectTensileError(() => tl.layers.dot({ axes: 'x' as never }), 'layers.dot', 'axes must be an integer or a pair');
    // Real tensors: a batch of 1 does not broadcast against a batch of 2.
    expectTensileError(
      () => tl.layers.add({ name: 'batches' }).apply([tl.zeros([1, 3]), tl.zeros([2, 3])]),
      'batches',
      'axis 0 has sizes 1 and 2',
    );
  });

  it('round-trip their configs through save and load', async () => {
    const x = tl.input({ shape: [3] }),
      y = tl.input({ shape: [3] });
    const outs = [
      tl.layers.concatenate({ axis: -1 }).apply([x, y]),
      tl.layers.dot({ axes: [1, 1], normalize: true }).apply([x, y]),
      tl.layers.average().apply([x, y]),
    ];
    const m = tl.model({ inputs: [x, y], outputs: outs });
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/tensile-merge-`);
    await m.save(dir);
    const back = await tl.loadModel(dir);
    expect(back.layers.slice(2).map((l) => [l.className, l.getConfig()])).toEqual(
      m.layers.slice(2).map((l) => [l.className, l.getConfig()]),
    );
    const xs = [seeded([4, 3], 1), seeded([4, 3], 2)];
    (back.predict(xs) as tl.Tensor[]).forEach((t, i) => expectSameTensor(t, (m.predict(xs) as tl.Tensor[])[i]));
  });
});
