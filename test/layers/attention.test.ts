import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { nativeLoaded } from '../helpers/backends.js';
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

/**
 * Keras 3's MultiHeadAttention written out as loops over Float64 (the einsums of its source): the oracle for
 * the layer. w: query kernel [D, H, K], bias [H, K], key ..., value kernel [D, H, V], bias [H, V], output
 * kernel [H, V, O], bias [O]; mask [B, T, S] of 0/1 or null.
 */
function mhaByHand(
  q: tl.Tensor,
  v: tl.Tensor,
  w: tl.Tensor[],
  H: number,
  K: number,
  V: number,
  mask: number[][][] | null,
): number[][][] {
  const [B, T] = q.shape,
    S = v.shape[1],
    O = w[7].shape[0];
  const xq = q.arraySync() as number[][][],
    xv = v.arraySync() as number[][][];
  const a = w.map((t) => Array.from(t.data));
  const proj = (x: number[][][], L: number, kern: number[], bias: number[], E: number, D = x[0][0].length) =>
    x.map((b) =>
      Array.from({ length: L }, (_, t) =>
        Array.from({ length: H }, (_, h) =>
          Array.from({ length: E }, (_, e) => {
            let s = bias[h * E + e];
            for (let d = 0; d < D; d++) s += b[t][d] * kern[(d * H + h) * E + e];
            return s;
          }),
        ),
      ),
    );
  const pq = proj(xq, T, a[0], a[1], K),
    pk = proj(xv, S, a[2], a[3], K),
    pv = proj(xv, S, a[4], a[5], V);
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) => {
      const heads = Array.from({ length: H }, (_, h) => {
        const sc = Array.from({ length: S }, (_, s) => {
          let z = 0;
          for (let e = 0; e < K; e++) z += (pq[b][t][h][e] / Math.sqrt(K)) * pk[b][s][h][e];
          return mask && !mask[b][t][s] ? -1e9 : z; // Keras adds −1e9 in float32, which swallows z
        });
        const mx = Math.max(...sc);
        const ex = sc.map((z) => Math.exp(z - mx));
        const sum = ex.reduce((p, c) => p + c, 0);
        return Array.from({ length: V }, (_, e) => ex.reduce((acc, p, s) => acc + (p / sum) * pv[b][s][h][e], 0));
      });
      return Array.from({ length: O }, (_, o) => {
        let y = a[7][o];
        for (let h = 0; h < H; h++) for (let e = 0; e < V; e++) y += heads[h][e] * a[6][(h * V + e) * O + o];
        return y;
      });
    }),
  );
}

/** A built layer with seeded weights in [-0.5, 0.5) (biases included, so none is trivial). */
function mha(
  args: tl.layers.MultiHeadAttentionArgs,
  q: tl.Tensor,
  v: tl.Tensor,
  seed = 1,
): tl.layers.MultiHeadAttention {
  const layer = tl.layers.multiHeadAttention(args);
  layer.apply([q, v]);
  layer.setWeights(layer.weights.map((w, i) => seeded([...w.shape], seed + i, { lo: -0.5, hi: 0.5 })));
  return layer;
}

describe.each(availableBackends())('MultiHeadAttention on %s', (backend) => {
  useBackend(backend);
  const q = seeded([2, 3, 4], 1),
    v = seeded([2, 5, 6], 2);

  it('matches the einsums of Keras 3 written out by hand, with and without a mask', () => {
    const layer = mha({ numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 5 }, q, v);
    const w = layer.getWeights();
    expectTensor(layer.apply([q, v]), mhaByHand(q, v, w, 2, 3, 2, null), { rtol: 1e-4, atol: 1e-5 });
    const m = [
      [
        [1, 1, 0, 1, 0],
        [0, 0, 0, 0, 1],
        [1, 1, 1, 1, 1],
      ],
      [
        [1, 0, 0, 0, 0],
        [1, 1, 0, 0, 0],
        [0, 1, 1, 1, 0],
      ],
    ];
    expectTensor(layer.apply([q, v], { attentionMask: tl.tensor(m) }), mhaByHand(q, v, w, 2, 3, 2, m), {
      rtol: 1e-4,
      atol: 1e-5,
    });
  });

  it('keeps Keras 3 weight names, shapes and order', () => {
    const layer = tl.layers.multiHeadAttention({ numHeads: 4, keyDim: 16, valueDim: 8, name: 'mha' });
    layer.apply([tl.zeros([1, 3, 32]), tl.zeros([1, 5, 24]), tl.zeros([1, 5, 20])]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['mha/query/kernel', [32, 4, 16]],
      ['mha/query/bias', [4, 16]],
      ['mha/key/kernel', [20, 4, 16]],
      ['mha/key/bias', [4, 16]],
      ['mha/value/kernel', [24, 4, 8]],
      ['mha/value/bias', [4, 8]],
      ['mha/attention_output/kernel', [4, 8, 32]],
      ['mha/attention_output/bias', [32]],
    ]);
    const noBias = tl.layers.multiHeadAttention({ numHeads: 2, keyDim: 2, useBias: false });
    noBias.apply([tl.zeros([1, 2, 3]), tl.zeros([1, 2, 3])]);
    expect(noBias.weights.map((w) => w.name.split('/').slice(1).join('/'))).toEqual([
      'query/kernel',
      'key/kernel',
      'value/kernel',
      'attention_output/kernel',
    ]);
  });

  it('a causal mask: no output depends on a later position', () => {
    const x = seeded([1, 6, 4], 3);
    const layer = mha({ numHeads: 2, keyDim: 2 }, x, x, 5);
    const y = layer.apply([x, x], { useCausalMask: true }).arraySync() as number[][][];
    const later = tl.tensor(
      (x.arraySync() as number[][][]).map((b) => b.map((r, t) => (t >= 4 ? r.map((u) => u + 3) : r))),
    );
    const y2 = layer.apply([later, later], { useCausalMask: true }).arraySync() as number[][][];
    expect(y2[0].slice(0, 4)).toEqual(y[0].slice(0, 4));
    expect(y2[0][5]).not.toEqual(y[0][5]);
    const tril = [Array.from({ length: 6 }, (_, t) => Array.from({ length: 6 }, (_, s) => (s <= t ? 1 : 0)))];
    expectTensor(layer.apply([x, x], { useCausalMask: true }), mhaByHand(x, x, layer.getWeights(), 2, 2, 2, tril), {
      rtol: 1e-4,
      atol: 1e-5,
    });
  });

  it('a padding mask from an embedding with maskZero: padded keys get no attention', () => {
    const ids = tl.tensor([[3, 1, 2, 0, 0]]);
    const emb = tl.layers.embedding({ inputDim: 4, outputDim: 4, maskZero: true });
    const x = emb.apply(ids);
    const layer = mha({ numHeads: 1, keyDim: 4 }, x, x, 7);
    const [y, scores] = layer.applyAll([x, x], { returnAttentionScores: true });
    expect(scores.shape).toEqual([1, 1, 5, 5]);
    const s = scores.arraySync() as number[][][][];
    for (let t = 0; t < 3; t++) expect(s[0][0][t].slice(3)).toEqual([0, 0]);
    const mask = [Array.from({ length: 5 }, (_, t) => Array.from({ length: 5 }, (_, k) => (t < 3 && k < 3 ? 1 : 0)))];
    expectTensor(y, mhaByHand(x, x, layer.getWeights(), 1, 4, 4, mask), { rtol: 1e-4, atol: 1e-5 });
  });

  it('dropout on the probabilities in training only; inference is deterministic', () => {
    const layer = mha({ numHeads: 2, keyDim: 3, dropout: 0.5 }, q, v);
    const plain = mha({ numHeads: 2, keyDim: 3 }, q, v);
    expectTensor(layer.apply([q, v]), plain.apply([q, v]).arraySync() as number[][][], { rtol: 1e-6 });
    tl.setSeed(3);
    const a = layer.apply([q, v], { training: true });
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(plain.apply([q, v]).dataSync()));
  });

  it('has the gradient of central differences for the inputs and every weight', () => {
    const x = seeded([2, 3, 4], 11),
      y = seeded([2, 4, 4], 12);
    const layer = mha({ numHeads: 2, keyDim: 2, valueDim: 3 }, x, y, 13);
    const ws = layer.getWeights();
    const mask = tl.tensor([
      [
        [1, 1, 0, 1],
        [1, 0, 0, 0],
        [1, 1, 1, 1],
      ],
      [
        [0, 1, 1, 1],
        [1, 1, 1, 0],
        [0, 0, 1, 1],
      ],
    ]);
    gradcheck(
      (qq, vv, ...w) => {
        layer.setWeights(w.map((t) => tl.tensor(t.dataSync(), t.shape)));
        const vars = layer.weights;
        // Route the weights through the layer: swap in the gradcheck leaves for the variables' values.
        const saved = vars.map((u) => u.value);
        vars.forEach((u, i) => ((u as { value: tl.Tensor }).value = w[i]));
        try {
          return layer.apply([qq, vv], { attentionMask: mask });
        } finally {
          vars.forEach((u, i) => ((u as { value: tl.Tensor }).value = saved[i]));
        }
      },
      [x, y, ...ws],
      { rtol: 2e-2, atol: 2e-3 },
    );
  });

  it('rejects bad input naming the layer and the shapes', () => {
    expectTensileError(
      () => tl.layers.multiHeadAttention({ numHeads: 2, keyDim: 0 }),
      'layers.multiHeadAttention',
      'keyDim',
    );
    expectTensileError(
      () => tl.layers.multiHeadAttention({ numHeads: 1.5, keyDim: 2 }),
      'layers.multiHeadAttention',
      'numHeads',
    );
    expectTensileError(
      () => tl.layers.multiHeadAttention({ numHeads: 1, keyDim: 2, dropout: 1 }),
      'layers.multiHeadAttention',
      'dropout',
    );
    const layer = mha({ numHeads: 2, keyDim: 3, name: 'att' }, q, v);
    expectTensileError(() => layer.apply(q), 'att', '[query, value]');
    expectTensileError(() => layer.apply([q, seeded([2, 5, 7], 3)]), 'att', 'built for', '[2, 5, 7]');
    expectTensileError(() => layer.apply([q, v, seeded([2, 4, 6], 3)]), 'att', 'same length');
    expectTensileError(() => layer.apply([q, seeded([3, 5, 6], 3)]), 'att', 'batch');
    expectTensileError(
      () => layer.apply([q, v], { attentionMask: tl.ones([2, 5, 3]) }),
      'att',
      'attentionMask',
      '[2, 3, 5]',
      '[2, 5, 3]',
    );
    expectTensileError(() => layer.apply([q, v], { causal: true }), 'att', 'causal');
    expectTensileError(() => layer.apply([seeded([2, 3], 1), v]), 'att', 'query', '[batch, length, dim]');
  });
});

describe.skipIf(!nativeLoaded)('MultiHeadAttention native vs reference', () => {
  it('forward with a causal mask, and every gradient', () => {
    const x = seeded([3, 7, 8], 21);
    const layer = onBackend('reference', () => mha({ numHeads: 4, keyDim: 4 }, x, x, 22));
    const run = (name: 'native' | 'reference') =>
      onBackend(name, () => {
        for (const w of layer.weights) w.value.grad = null;
        const xs = tl.tensor(x.dataSync(), x.shape, { requiresGrad: true });
        const y = layer.apply([xs, xs], { useCausalMask: true });
        y.mul(seeded(y.shape, 5)).sum().backward();
        return [y, xs.grad!, ...layer.weights.map((w) => w.value.grad ?? tl.zeros([0]))];
      });
    const [n, r] = [run('native'), run('reference')];
    r.forEach((t, i) => expectSameTensor(n[i], t, { rtol: 1e-4, atol: 1e-5 }));
  });
});

describe.each(availableBackends())('LayerNormalization on %s', (backend) => {
  useBackend(backend);
  it('normalizes the last axis with epsilon 1e-3, then gamma and beta (Keras order)', () => {
    const ln = tl.layers.layerNormalization({ name: 'ln' });
    expectTensor(ln.apply(tl.tensor([[1, 2, 3]])), [[-1.22382734, 0, 1.22382734]], { rtol: 1e-5 });
    expect(ln.weights.map((w) => [w.name, w.shape])).toEqual([
      ['ln/gamma', [3]],
      ['ln/beta', [3]],
    ]);
    ln.setWeights([tl.tensor([2, 1, 1]), tl.tensor([0, 0, 1])]);
    expectTensor(ln.apply(tl.tensor([[1, 2, 3]])), [[-2.44765468, 0, 2.22382734]], { rtol: 1e-5 });
    const two = tl.layers.layerNormalization({ axis: [-2, -1], center: false });
    two.apply(tl.zeros([2, 3, 4]));
    expect(two.weights.map((w) => w.shape)).toEqual([[3, 4]]);
  });
  it('round-trips its config and refuses bad options', () => {
    const ln = tl.layers.layerNormalization({ epsilon: 1e-6, scale: false });
    expect(ln.getConfig()).toMatchObject({ epsilon: 1e-6, scale: false, center: true, axis: -1 });
    expectTensileError(() => tl.layers.layerNormalization({ epsilon: -1 }), 'layers.layerNormalization', 'epsilon');
    expectTensileError(
      () => tl.layers.layerNormalization({ axis: 1, name: 'ln1' }).apply(tl.zeros([2, 3, 4])),
      'ln1',
      'trailing',
    );
  });
  it('trains in a model and survives save and load', async () => {
    tl.setSeed(4);
    const m = tl.sequential({
      layers: [
        tl.layers.dense({ units: 6, inputShape: [5] }),
        tl.layers.layerNormalization(),
        tl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = seeded([32, 5], 1),
      y = tl.utils.toCategorical(
        Array.from({ length: 32 }, (_, i) => (x.data[i * 5] > 0 ? 1 : 0)),
        2,
      );
    const h = await m.fit(x, y, { epochs: 30, verbose: 0 });
    expect(h.history.loss[29]).toBeLessThan(h.history.loss[0] * 0.7);
    const dir = (await import('node:fs')).mkdtempSync(
      (await import('node:path')).join((await import('node:os')).tmpdir(), 'ln-'),
    );
    await m.save(`file://${dir}`);
    const back = await tl.loadModel(`file://${dir}/model.json`);
    expectTensor(back.predict(x) as tl.Tensor, m.predict(x).arraySync() as number[][], { rtol: 1e-6 });
    expect(back.layers[1].getConfig()).toMatchObject({ epsilon: 1e-3 });
  });
});

describe('a transformer block as a functional model', () => {
  it('trains, saves and loads back with the same predictions and Keras weight names', async () => {
    tl.setSeed(8);
    const L = tl.layers;
    const x = tl.input({ shape: [5, 8] });
    const att = L.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.1, name: 'mha' }).apply([x, x], {
      useCausalMask: true,
    });
    const h = L.layerNormalization().apply(L.add().apply([x, att]));
    const out = L.dense({ units: 3, activation: 'softmax' }).apply(L.globalAveragePooling1d().apply(h));
    const m = tl.model({ inputs: x, outputs: out });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const xs = seeded([24, 5, 8], 3),
      ys = tl.tensor(Array.from({ length: 24 }, (_, i) => i % 3));
    const hist = await m.fit(xs, ys, { epochs: 15, verbose: 0 });
    expect(hist.history.loss[14]).toBeLessThan(hist.history.loss[0]);
    const dir = (await import('node:fs')).mkdtempSync(
      (await import('node:path')).join((await import('node:os')).tmpdir(), 'mha-'),
    );
    await m.save(`file://${dir}`);
    const back = await tl.loadModel(`file://${dir}/model.json`);
    expectTensor(back.predict(xs) as tl.Tensor, (m.predict(xs) as tl.Tensor).arraySync() as number[][], { rtol: 1e-5 });
    const mha = back.layers.find((l) => l.className === 'MultiHeadAttention')!;
    expect(mha.weights.map((w) => w.name)).toEqual(
      [
        'query/kernel',
        'query/bias',
        'key/kernel',
        'key/bias',
        'value/kernel',
        'value/bias',
        'attention_output/kernel',
        'attention_output/bias',
      ].map((n) => `mha/${n}`),
    );
    expect(mha.getConfig()).toMatchObject({ numHeads: 2, keyDim: 4, valueDim: 4, dropout: 0.1 });
  });
});
