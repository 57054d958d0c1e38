import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { availableBackends, expectTensileError, expectTensor, seeded, useBackend } from '../helpers/ops.js';

const L = tl.layers;

describe.each(availableBackends())('everyday layers on %s', (backend) => {
  useBackend(backend);
  const x = tl.tensor([[-2, -0.5, 0.5, 3]]);

  it('activation layers match hand-computed values', () => {
    expectTensor(L.leakyReLU().apply(x), [[-0.6, -0.15, 0.5, 3]], { rtol: 1e-6 });
    expectTensor(L.elu({ alpha: 2 }).apply(x), [[2 * (Math.exp(-2) - 1), 2 * (Math.exp(-0.5) - 1), 0.5, 3]], {
      rtol: 1e-6,
    });
    expectTensor(L.reLU({ maxValue: 1 }).apply(x), [[0, 0, 0.5, 1]]);
    expectTensor(L.reLU().apply(x), [[0, 0, 0.5, 3]]);
    expectTensor(
      L.softmax({ axis: 0 }).apply(
        tl.tensor([
          [1, 2],
          [1, 0],
        ]),
      ),
      [
        [0.5, 0.88079708],
        [0.5, 0.11920292],
      ],
    );
    const p = L.prelu({ name: 'p' });
    p.apply(x);
    p.setWeights([tl.tensor([0.1, 0.2, 0.3, 0.4])]);
    expectTensor(p.apply(x), [[-0.2, -0.1, 0.5, 3]], { rtol: 1e-6 });
    const shared = L.prelu({ sharedAxes: [1] });
    shared.apply(tl.zeros([2, 5, 3]));
    expect(shared.weights.map((w) => w.shape)).toEqual([[1, 3]]);
  });

  it('reshaping layers move and cut values', () => {
    expectTensor(L.repeatVector({ n: 2 }).apply(tl.tensor([[1, 2]])), [
      [
        [1, 2],
        [1, 2],
      ],
    ]);
    expectTensor(
      L.permute({ dims: [2, 1] }).apply(
        tl.tensor([
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ]),
      ),
      [
        [
          [1, 4],
          [2, 5],
          [3, 6],
        ],
      ],
    );
    const img = tl.arange(0, 16).reshape([1, 4, 4, 1]);
    expectTensor(
      L.cropping2d({
        cropping: [
          [1, 0],
          [1, 2],
        ],
      })
        .apply(img)
        .reshape([3, 1]),
      [[5], [9], [13]],
    );
    expect(L.cropping2d({ cropping: 1 }).computeOutputShape([null, 5, 6, 2])).toEqual([null, 3, 4, 2]);
  });

  it('noise layers are the identity in inference and random (seeded) in training', () => {
    const u = seeded([4, 6, 5], 1);
    for (const layer of [
      L.gaussianNoise({ stddev: 0.5 }),
      L.gaussianDropout({ rate: 0.3 }),
      L.spatialDropout1d({ rate: 0.5 }),
    ]) {
      expectTensor(layer.apply(u), u.arraySync() as number[][][]);
      tl.setSeed(7);
      const a = layer.apply(u, { training: true }).dataSync();
      tl.setSeed(7);
      expect(Array.from(layer.apply(u, { training: true }).dataSync())).toEqual(Array.from(a));
      expect(Array.from(a)).not.toEqual(Array.from(u.dataSync()));
    }
    // spatial dropout: a channel is dropped at every step of a sample, or at none
    tl.setSeed(3);
    const y = L.spatialDropout2d({ rate: 0.5 })
      .apply(tl.ones([2, 3, 3, 4]), { training: true })
      .arraySync() as number[][][][];
    for (const s of y) for (let c = 0; c < 4; c++) expect(new Set(s.flat().map((px) => px[c])).size).toBe(1);
  });

  it('masking zeroes and masks steps, which globalAveragePooling1d then leaves out', () => {
    const seq = tl.tensor([
      [
        [1, 2],
        [0, 0],
        [3, 4],
      ],
    ]);
    const m = L.masking({ maskValue: 0 });
    const y = m.apply(seq);
    expectTensor(L.globalAveragePooling1d().apply(y), [[2, 3]]);
    expectTensor(L.globalAveragePooling1d().apply(seq), [[4 / 3, 2]], { rtol: 1e-6 });
    const emb = L.embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const e = emb.apply(tl.tensor([[1, 0, 2]]));
    const w = (e.arraySync() as number[][][])[0];
    expectTensor(L.globalAveragePooling1d().apply(e), [[(w[0][0] + w[2][0]) / 2, (w[0][1] + w[2][1]) / 2]], {
      rtol: 1e-6,
    });
  });

  it('rescaling and normalization with adapt(data)', () => {
    expectTensor(L.rescaling({ scale: 1 / 255, offset: -1 }).apply(tl.tensor([[0, 255]])), [[-1, 0]], { atol: 1e-6 });
    const n = L.normalization();
    n.adapt(
      tl.tensor([
        [1, 10],
        [3, 10],
        [5, 10],
      ]),
    );
    expectTensor(
      n.apply(
        tl.tensor([
          [3, 10],
          [5, 11],
        ]),
      ),
      [
        [0, 0],
        [Math.sqrt(1.5), 1e7],
      ],
      { rtol: 1e-5 },
    );
    expect(n.getWeights().map((t) => Array.from(t.dataSync()))).toEqual([[3, 10], [8 / 3, 0].map(Math.fround), [3]]);
    expectTensor(L.normalization({ mean: 1, variance: 4 }).apply(tl.tensor([[3]])), [[1]]);
  });

  it.each([
    ['leakyReLU', () => L.leakyReLU({ alpha: 0.1 })],
    ['elu', () => L.elu()],
    ['reLU', () => L.reLU({ maxValue: 0.7 })],
    ['softmax', () => L.softmax({ axis: 1 })],
    ['rescaling', () => L.rescaling({ scale: 3, offset: 1 })],
    ['masking', () => L.masking({ maskValue: 0 })],
    ['normalization', () => L.normalization({ mean: [0.5, 1, -1, 2], variance: [4, 1, 0.25, 2] })],
    ['permute', () => L.permute({ dims: [2, 1] })],
    ['cropping2d', () => L.cropping2d({ cropping: 1 })],
    ['repeatVector', () => L.repeatVector({ n: 3 })],
  ] as const)('%s has the gradient of central differences', (name, make) => {
    const shape = name === 'cropping2d' ? [1, 4, 4, 2] : name === 'repeatVector' ? [2, 3] : [2, 3, 4];
    const layer = make();
    gradcheck((u) => layer.apply(u) as tl.Tensor, [seeded(shape, 5, { lo: -2, hi: 2, avoid: [0, 0.7], margin: 0.05 })]);
  });

  it.each([
    ['gaussianNoise', () => L.gaussianNoise({ stddev: 0.5 })],
    ['gaussianDropout', () => L.gaussianDropout({ rate: 0.3 })],
    ['spatialDropout1d', () => L.spatialDropout1d({ rate: 0.4 })],
  ] as const)('%s in training (a fixed seed each call) has the gradient of central differences', (_name, make) => {
    const layer = make();
    gradcheck(
      (u) => {
        tl.setSeed(5);
        return layer.apply(u, { training: true }) as tl.Tensor;
      },
      [seeded([2, 3, 4], 8)],
    );
  });

  it('prelu has the gradient of central differences for its input and alpha', () => {
    const p = L.prelu();
    const u = seeded([2, 3], 6, { avoid: [0], margin: 0.05 });
    p.apply(u);
    const v = p.weights[0] as unknown as { value: tl.Tensor };
    gradcheck(
      (xx, a) => {
        const saved = v.value;
        v.value = a;
        try {
          return p.apply(xx);
        } finally {
          v.value = saved;
        }
      },
      [u, seeded([3], 7)],
    );
  });

  it('bad options and inputs are TensileErrors naming the layer', () => {
    expectTensileError(() => L.leakyReLU({ alpha: -1 }), 'layers.leakyReLU', 'alpha');
    expectTensileError(() => L.repeatVector({ n: 0 }), 'layers.repeatVector', 'n');
    expectTensileError(() => L.permute({ dims: [1, 3] }), 'layers.permute', 'permutation');
    expectTensileError(() => L.cropping2d({ cropping: -1 }), 'layers.cropping2d', 'cropping');
    expectTensileError(
      () => L.cropping2d({ cropping: 3, name: 'crop' }).apply(tl.zeros([1, 4, 4, 1])),
      'crop',
      '[1, 4, 4, 1]',
    );
    expectTensileError(() => L.gaussianDropout({ rate: 1 }), 'layers.gaussianDropout', 'rate');
    expectTensileError(() => L.spatialDropout2d({ rate: 0.1, name: 'sd' }).apply(tl.zeros([2, 3])), 'sd', 'rank 4');
    expectTensileError(() => L.normalization({ mean: 1 }), 'layers.normalization', 'variance');
    expectTensileError(() => L.rescaling({ scale: NaN }), 'layers.rescaling', 'scale');
  });
});

describe('everyday layers save and load', () => {
  it('a model of every one round-trips config and predictions', async () => {
    tl.setSeed(9);
    const norm = L.normalization({ inputShape: [6, 4] });
    norm.adapt(seeded([10, 6, 4], 3, { lo: 0, hi: 5 }));
    const m = tl.sequential({
      layers: [
        norm,
        L.masking({ maskValue: 0 }),
        L.gaussianNoise({ stddev: 0.1 }),
        L.spatialDropout1d({ rate: 0.2 }),
        L.permute({ dims: [2, 1] }),
        L.dense({ units: 5 }),
        L.leakyReLU({ alpha: 0.2 }),
        L.prelu(),
        L.elu(),
        L.reLU({ maxValue: 3 }),
        L.gaussianDropout({ rate: 0.1 }),
        L.softmax({ axis: -1 }),
        L.rescaling({ scale: 2, offset: 1 }),
        L.reshape({ targetShape: [4, 5, 1] }),
        L.cropping2d({
          cropping: [
            [1, 0],
            [0, 1],
          ],
        }),
        L.spatialDropout2d({ rate: 0.1 }),
        L.flatten(),
        L.repeatVector({ n: 2 }),
      ],
    });
    const x = seeded([3, 6, 4], 4, { lo: 0, hi: 5 });
    const dir = (await import('node:fs')).mkdtempSync(
      (await import('node:path')).join((await import('node:os')).tmpdir(), 'everyday-'),
    );
    await m.save(`file://${dir}`);
    const back = await tl.loadModel(`file://${dir}/model.json`);
    expect(back.layers.map((l) => l.className)).toEqual(m.layers.map((l) => l.className));
    back.layers.forEach((l, i) => expect(l.getConfig()).toEqual(m.layers[i].getConfig()));
    expectTensor(back.predict(x) as tl.Tensor, m.predict(x).arraySync() as number[][][], { rtol: 1e-6 });
  });
});
