import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import type { RecurrentLayer } from '../../lib/layers/recurrent.js';
import { maskOf } from '../../lib/layers/masking.js';
import { tempDirs } from '../io/fixtures.js';
import { recurrent } from '../../lib/ops/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { availableBackends, expectSameTensor, expectTensileError, seeded, useBackend } from '../helpers/ops.js';

const tol = { rtol: 1e-5, atol: 1e-6 };
const RECURRENT = [
  ['lstm', (a: Record<string, unknown>) => tl.layers.lstm({ units: 3, ...a }), 4],
  ['gru', (a: Record<string, unknown>) => tl.layers.gru({ units: 3, ...a }), 3],
  ['simpleRNN', (a: Record<string, unknown>) => tl.layers.simpleRNN({ units: 3, ...a }), 1],
] as const;

describe.each(availableBackends())('recurrent layers on %s', (backend) => {
  useBackend(backend);

  it.each(RECURRENT)(
    '%s has Keras weights: kernel [in, g·units] glorot, recurrent_kernel [units, g·units] orthogonal, bias',
    (name, make, g) => {
      tl.setSeed(1);
      const layer = make({ units: 4 }) as RecurrentLayer;
      layer.ensureBuilt([null, 7, 5]);
      const [kernel, rec, bias] = layer.getWeights();
      expect(kernel.shape).toEqual([5, g * 4]);
      expect(rec.shape).toEqual([4, g * 4]);
      expect(bias.shape).toEqual(name === 'gru' ? [2, 12] : [g * 4]);
      expect(layer.weights.map((w) => w.name)).toEqual([
        `${layer.name}/kernel`,
        `${layer.name}/recurrent_kernel`,
        `${layer.name}/bias`,
      ]);
      // Orthogonal rows: rec·recᵀ = I.
      expectSameTensor(
        tl.matmul(rec, tl.transpose(rec)),
        tl.tensor([
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ]),
        { atol: 1e-5 },
      );
      const expectBias = new Float32Array(bias.size);
      if (name === 'lstm') expectBias.fill(1, 4, 8); // unit forget bias
      expect([...bias.data]).toEqual([...expectBias]);
    },
  );

  it.each(RECURRENT)('%s output shapes: last step, returnSequences, returnState', (name, make) => {
    const x = seeded([2, 5, 4], 1);
    expect((make({}) as RecurrentLayer).apply(x).shape).toEqual([2, 3]);
    const seqLayer = make({ returnSequences: true }) as RecurrentLayer;
    expect(seqLayer.apply(x).shape).toEqual([2, 5, 3]);
    expect(seqLayer.computeOutputShape([null, 5, 4])).toEqual([null, 5, 3]);
    const states = (make({ returnSequences: true, returnState: true }) as RecurrentLayer).applyWithState(x);
    expect(states.map((t) => t.shape)).toEqual(
      name === 'lstm'
        ? [
            [2, 5, 3],
            [2, 3],
            [2, 3],
          ]
        : [
            [2, 5, 3],
            [2, 3],
          ],
    );
    expectSameTensor(states[1], tl.reshape(tl.slice(states[0], [0, 4, 0], [2, 1, 3]), [2, 3]));
    const last = (make({ returnState: true }) as RecurrentLayer).applyWithState(x);
    expect(last.map((t) => t.shape)).toEqual(
      name === 'lstm'
        ? [
            [2, 3],
            [2, 3],
            [2, 3],
          ]
        : [
            [2, 3],
            [2, 3],
          ],
    );
  });

  it.each(RECURRENT)('%s rejects a rank-2 input naming the layer and the shape', (_n, make) => {
    const layer = make({ name: `rnn_${_n}` }) as RecurrentLayer;
    expectTensileError(() => layer.apply(seeded([4, 5], 1)), `rnn_${_n}`, '[batch, timesteps, features]', '[4, 5]');
    layer.apply(seeded([2, 3, 5], 1));
    expectTensileError(() => layer.apply(seeded([2, 3, 6], 1)), `rnn_${_n}`, '[batch, timesteps, 5]', '[2, 3, 6]');
  });

  it('validates options in the constructor', () => {
    expectTensileError(() => tl.layers.lstm({ units: 0 }), 'layers.lstm', 'units must be a positive integer, got 0');
    expectTensileError(
      () => tl.layers.gru({ units: 2, activation: 'rellu' as never }),
      'layers.gru',
      "unknown activation 'rellu'",
      'relu',
    );
    expectTensileError(
      () => tl.layers.lstm({ units: 2, dropout: 1 }),
      'layers.lstm',
      'dropout must be a number in [0, 1), got 1',
    );
    expect(tl.layers.lstm({ units: 2, recurrentActivation: 'hard_sigmoid' as never }).recurrentActivation).toBe(
      'hardSigmoid',
    );
  });

  it('embedding looks rows up and rejects out-of-range and fractional indices, naming the layer and the value', () => {
    const e = tl.layers.embedding({ inputDim: 4, outputDim: 2, name: 'emb' });
    e.ensureBuilt([null, 3]);
    e.setWeights([
      tl.tensor([
        [0, 0],
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ]);
    expectSameTensor(
      e.apply(tl.tensor([[1, 3, 0]])),
      tl.tensor([
        [
          [1, 2],
          [5, 6],
          [0, 0],
        ],
      ]),
    );
    expectTensileError(() => e.apply(tl.tensor([[1, 4]])), 'emb', '[0, 4)', 'got 4');
    expectTensileError(() => e.apply(tl.tensor([[1.5, 2]])), 'emb', 'integer indices', 'got 1.5');
    expectTensileError(() => e.apply(tl.tensor([[-1, 2]])), 'emb', 'got -1');
    expectTensileError(() => tl.layers.embedding({ inputDim: 0, outputDim: 2 }), 'layers.embedding', 'inputDim');
    const grad = tl.layers.embedding({ inputDim: 3, outputDim: 2 });
    grad
      .apply(tl.tensor([[1, 1, 2]]))
      .sum()
      .backward();
    expect([...grad.weights[0].value.grad!.data]).toEqual([0, 0, 2, 2, 1, 1]);
  });

  it.each(RECURRENT)('%s honours embedding({ maskZero }) : padding (before or after) changes nothing', (_n, make) => {
    tl.setSeed(3);
    const emb = tl.layers.embedding({ inputDim: 6, outputDim: 4, maskZero: true });
    const layer = make({}) as RecurrentLayer;
    const run = (ids: number[][]) => layer.apply(emb.apply(tl.tensor(ids)));
    const plain = run([[3, 1, 5]]);
    expectSameTensor(run([[3, 1, 5, 0, 0]]), plain, tol);
    expectSameTensor(run([[0, 0, 3, 1, 5]]), plain, tol);
    expect(maskOf(emb.apply(tl.tensor([[1, 0]])))!.arraySync()).toEqual([[1, 0]]);
    // returnSequences passes the mask on to the next recurrent layer.
    const seq = make({ returnSequences: true }) as RecurrentLayer;
    const top = make({}) as RecurrentLayer;
    const stacked = (ids: number[][]) => top.apply(seq.apply(emb.apply(tl.tensor(ids))));
    expectSameTensor(stacked([[3, 1, 5, 0]]), stacked([[3, 1, 5]]), tol);
  });

  it('goBackwards reads the sequence from its end', () => {
    tl.setSeed(4);
    const f = tl.layers.gru({ units: 3 });
    const x = seeded([2, 4, 2], 5);
    f.ensureBuilt([null, 4, 2]);
    const b = tl.layers.gru({ units: 3, goBackwards: true });
    b.ensureBuilt([null, 4, 2]);
    b.setWeights(f.getWeights());
    const reversed = tl.concat(
      [3, 2, 1, 0].map((t) => tl.slice(x, [0, t, 0], [2, 1, 2])),
      1,
    );
    expectSameTensor(b.apply(x), f.apply(reversed), tol);
  });

  it('bidirectional concatenates the forward and the time-reversed backward outputs', () => {
    tl.setSeed(6);
    const bi = tl.layers.bidirectional({ layer: tl.layers.lstm({ units: 3, returnSequences: true }) });
    const x = seeded([2, 4, 2], 7);
    const y = bi.apply(x);
    expect(y.shape).toEqual([2, 4, 6]);
    expect(bi.weights.length).toBe(6);
    const fwd = bi.forwardLayer.apply(x);
    const bwd = bi.backwardLayer.apply(x);
    const bwdInOrder = tl.concat(
      [3, 2, 1, 0].map((t) => tl.slice(bwd, [0, t, 0], [2, 1, 3])),
      1,
    );
    expectSameTensor(y, tl.concat([fwd, bwdInOrder], 2), tol);
    expect(tl.layers.bidirectional({ layer: tl.layers.gru({ units: 5 }), mergeMode: 'sum' }).apply(x).shape).toEqual([
      2, 5,
    ]);
    expectTensileError(
      () => tl.layers.bidirectional({ layer: tl.layers.dense({ units: 2 }) as never }),
      'layers.bidirectional',
      'recurrent layer',
      'Dense',
    );
  });

  it('timeDistributed applies one layer at every step', () => {
    tl.setSeed(8);
    const dense = tl.layers.dense({ units: 2 });
    const td = tl.layers.timeDistributed({ layer: dense });
    const x = seeded([3, 4, 5], 9);
    const y = td.apply(x);
    expect(y.shape).toEqual([3, 4, 2]);
    expect(td.computeOutputShape([null, 4, 5])).toEqual([null, 4, 2]);
    expectSameTensor(
      tl.reshape(tl.slice(y, [0, 2, 0], [3, 1, 2]), [3, 2]),
      dense.apply(tl.reshape(tl.slice(x, [0, 2, 0], [3, 1, 5]), [3, 5])),
      tol,
    );
    expect(td.weights.length).toBe(2);
  });
});

describe('recurrent layers in a model', () => {
  it('an lstm learns to tell which of two tokens came first (fit converges)', async () => {
    tl.setSeed(10);
    const n = 128,
      T = 6;
    const ids: number[][] = [],
      labels: number[] = [];
    for (let i = 0; i < n; i++) {
      const first = i % 2;
      const seq = Array.from({ length: T }, () => 3 + Math.floor(Math.random() * 3));
      seq[0] = first + 1;
      ids.push(seq);
      labels.push(first);
    }
    const model = tl.sequential();
    model.add(tl.layers.embedding({ inputDim: 6, outputDim: 4, inputLength: T }));
    model.add(tl.layers.lstm({ units: 8 }));
    model.add(tl.layers.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({
      optimizer: tl.optimizers.adam({ learningRate: 0.05 }),
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    });
    await model.fit(tl.tensor(ids), tl.tensor(labels.map((l) => [l])), { epochs: 15, batchSize: 32, verbose: 0 });
    const [, acc] = model.evaluate(tl.tensor(ids), tl.tensor(labels.map((l) => [l])), { verbose: 0 });
    expect(acc).toBeGreaterThan(0.95);
  });

  it('dropout and recurrentDropout act in training only', () => {
    tl.setSeed(11);
    const layer = tl.layers.lstm({ units: 4, dropout: 0.5, recurrentDropout: 0.5 });
    const x = seeded([3, 5, 2], 12);
    const a = layer.apply(x),
      b = layer.apply(x);
    expectSameTensor(a, b);
    const t = layer.apply(x, { training: true });
    expect(t.data.some((v, i) => Math.abs(v - a.data[i]) > 1e-4)).toBe(true);
  });
});

describe('recurrent layers save and load (TensorFlow.js Layers format, Keras names)', () => {
  const tmp = tempDirs();

  it('round-trips embedding → lstm → gru → simpleRNN → dense with identical predictions', async () => {
    tl.setSeed(20);
    const model = tl.sequential();
    model.add(tl.layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true, inputLength: 5 }));
    model.add(tl.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid' }));
    model.add(tl.layers.gru({ units: 3, returnSequences: true, goBackwards: true }));
    model.add(tl.layers.simpleRNN({ units: 2, activation: 'relu' }));
    model.add(tl.layers.dense({ units: 1 }));
    const x = tl.tensor([
      [1, 2, 3, 0, 0],
      [4, 5, 6, 7, 8],
    ]);
    const before = model.predict(x);
    const dir = tmp();
    await model.save(`file://${dir}`);
    const layers = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology.config.layers;
    expect(layers.map((l: { class_name: string }) => l.class_name)).toEqual([
      'Embedding',
      'LSTM',
      'GRU',
      'SimpleRNN',
      'Dense',
    ]);
    expect(layers[0].config).toMatchObject({
      input_dim: 9,
      output_dim: 4,
      mask_zero: true,
      input_length: 5,
      batch_input_shape: [null, 5],
    });
    expect(layers[1].config).toMatchObject({
      units: 3,
      activation: 'tanh',
      recurrent_activation: 'hard_sigmoid',
      return_sequences: true,
      unit_forget_bias: true,
      implementation: 2,
    });
    expect(layers[2].config).toMatchObject({ go_backwards: true, reset_after: true, recurrent_activation: 'sigmoid' });
    const loaded = (await tl.loadModel(`file://${join(dir, 'model.json')}`)) as tl.Sequential;
    expectSameTensor(loaded.predict(x), before, tol);
  });

  it('loads a Keras 2 style file: Embedding after an InputLayer (input_dim is the vocabulary) and lstm_cell weight names', async () => {
    tl.setSeed(21);
    const model = tl.sequential();
    model.add(tl.layers.inputLayer({ inputShape: [4] }));
    model.add(tl.layers.embedding({ inputDim: 7, outputDim: 3 }));
    model.add(tl.layers.lstm({ units: 2 }));
    const x = tl.tensor([
      [1, 2, 3, 4],
      [6, 5, 0, 1],
    ]);
    const before = model.predict(x);
    const dir = tmp();
    await model.save(`file://${dir}`);
    const file = join(dir, 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const layers = json.modelTopology.config.layers;
    const [emb, lstm] = layers.slice(-2);
    expect(emb.config.input_dim).toBe(7);
    // As Keras 2 writes it: an InputLayer first, then the Embedding with input_dim (the vocabulary) and no input shape.
    delete emb.config.batch_input_shape;
    json.modelTopology.config.layers = [
      {
        class_name: 'InputLayer',
        config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' },
      },
      emb,
      lstm,
    ];
    for (const w of json.weightsManifest[0].weights)
      w.name = w.name.replace(`${lstm.config.name}/`, `${lstm.config.name}/lstm_cell/`);
    writeFileSync(file, JSON.stringify(json));
    const loaded = (await tl.loadModel(`file://${file}`)) as tl.Sequential;
    expectSameTensor(loaded.predict(x), before, tol);
  });
});

/** Keras' GRU with reset_after false unrolled with plain ops (hard sigmoid gates, as tfjs' default): the oracle of the fused op. */
function gruResetBefore(
  x: tl.Tensor,
  w: tl.Tensor,
  u: tl.Tensor,
  b: tl.Tensor,
  mask?: number[][],
  backwards = false,
): tl.Tensor {
  const [B, T, F] = x.shape;
  const n = u.shape[0];
  const cols = (t: tl.Tensor, q: number, k = 1) => tl.slice(t, [0, q * n], [t.shape[0], k * n]);
  const hardSigmoid = (t: tl.Tensor) =>
    tl.minimum(tl.maximum(tl.add(tl.mul(t, tl.tensor(0.2)), tl.tensor(0.5)), tl.tensor(0)), tl.tensor(1));
  let h = tl.tensor(new Float32Array(B * n), [B, n]);
  const hs: tl.Tensor[] = [];
  for (let s = 0; s < T; s++) {
    const t = backwards ? T - 1 - s : s;
    const xg = tl.add(tl.matmul(tl.reshape(tl.slice(x, [0, t, 0], [B, 1, F]), [B, F]), w), b);
    const zr = tl.matmul(h, tl.slice(u, [0, 0], [n, 2 * n]));
    const z = hardSigmoid(tl.add(cols(xg, 0), cols(zr, 0)));
    const r = hardSigmoid(tl.add(cols(xg, 1), cols(zr, 1)));
    const cand = tl.tanh(tl.add(cols(xg, 2), tl.matmul(tl.mul(r, h), tl.slice(u, [0, 2 * n], [n, n]))));
    let hn = tl.add(tl.mul(z, h), tl.mul(tl.sub(tl.tensor(1), z), cand));
    if (mask) {
      const m = tl.tensor(mask.map((row) => [row[t]]));
      hn = tl.add(tl.mul(m, hn), tl.mul(tl.sub(tl.tensor(1), m), h));
    }
    h = hn;
    hs.push(tl.reshape(h, [B, 1, n]));
  }
  return tl.concat(hs, 1);
}

describe.each(availableBackends())('gru with resetAfter: false (Keras 1, tfjs-layers) on %s', (backend) => {
  useBackend(backend);
  const opts = { cell: 'gru', resetAfter: false, recurrentActivation: 'hardSigmoid' } as const;
  const weights = (F: number, n: number, seed: number) => [
    seeded([F, 3 * n], seed, { lo: -0.8, hi: 0.8 }),
    seeded([n, 3 * n], seed + 1, { lo: -0.8, hi: 0.8 }),
    seeded([3 * n], seed + 2, { lo: -0.5, hi: 0.5 }),
  ];

  it('equals the cell unrolled with ops: masked, forwards and backwards', () => {
    const x = seeded([3, 5, 4], 1);
    const [w, u, b] = weights(4, 3, 2);
    const mask = [
      [1, 1, 1, 0, 0],
      [1, 0, 1, 1, 0],
      [1, 1, 1, 1, 1],
    ];
    for (const goBackwards of [false, true]) {
      const seq = gruResetBefore(x, w, u, b, mask, goBackwards);
      expectSameTensor(
        recurrent(x, w, u, b, { ...opts, returnSequences: true, goBackwards, mask: tl.tensor(mask) }),
        seq,
        tol,
      );
      expectSameTensor(
        recurrent(x, w, u, b, { ...opts, goBackwards, mask: tl.tensor(mask) }),
        tl.slice(seq, [0, 4, 0], [3, 1, 3]),
        tol,
      );
    }
  });

  it('has the gradient of central differences, with a mask, a recurrent mask and without bias', () => {
    const x = seeded([2, 4, 3], 11);
    // Sigmoid gates here: hard sigmoid's kinks would break central differences.
    const o = { cell: 'gru', resetAfter: false } as const;
    const [w, u, b] = weights(3, 2, 12);
    const mask = tl.tensor([
      [1, 1, 0, 1],
      [1, 1, 1, 1],
    ]);
    for (const returnSequences of [false, true])
      gradcheck((xi, wi, ui, bi) => recurrent(xi, wi, ui, bi, { ...o, returnSequences, mask }), [x, w, u, b], {
        eps: 5e-3,
      });
    const recurrentMask = Float32Array.from([2, 0, 2, 2]);
    gradcheck(
      (xi, wi, ui, bi) => recurrent(xi, wi, ui, bi, { ...o, returnSequences: true, recurrentMask }),
      [x, w, u, b],
      { eps: 5e-3 },
    );
    gradcheck((xi, wi, ui) => recurrent(xi, wi, ui, null, { ...o, goBackwards: true }), [x, w, u], { eps: 5e-3 });
  });

  it('as a layer: bias [3·units], resetAfter in its config, and it trains', async () => {
    tl.setSeed(13);
    const layer = tl.layers.gru({ units: 4, resetAfter: false });
    layer.ensureBuilt([null, 5, 3]);
    expect(layer.weights.map((v) => v.shape)).toEqual([[3, 12], [4, 12], [12]]);
    expect(layer.getConfig()).toMatchObject({ resetAfter: false });
    expectTensileError(
      () =>
        recurrent(
          seeded([2, 3, 3], 1),
          ...(weights(3, 4, 1).slice(0, 2) as [tl.Tensor, tl.Tensor]),
          seeded([2, 12], 2),
          { cell: 'gru', resetAfter: false },
        ),
      'gru',
      'bias [12]',
      '[2, 12]',
    );
    const model = tl.sequential({
      layers: [
        tl.layers.gru({ units: 4, resetAfter: false, inputShape: [5, 3], recurrentDropout: 0.2 }),
        tl.layers.dense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: tl.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const x = seeded([32, 5, 3], 14);
    const y = tl.reshape(tl.sum(x, { axis: [1, 2] }), [32, 1]);
    const [first] = model.evaluate(x, y, { verbose: 0 });
    await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    expect(model.evaluate(x, y, { verbose: 0 })[0]).toBeLessThan(first / 2);
  });
});
