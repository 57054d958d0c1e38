import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { tempDirs } from '../io/fixtures.js';
import { availableBackends, expectTensileError, expectTensor, useBackend } from '../helpers/ops.js';

// Before, kernelRegularizer and the like were accepted and ignored. Keras semantics: each penalty is added to
// the loss that is minimised and reported by fit and evaluate; an activity penalty is divided by the batch size.
const x = tl.tensor([
  [1, 2],
  [-1, 0.5],
  [0.5, -2],
  [2, 1],
]);
const y = tl.tensor([[1], [0], [-1], [2]]);
const W = [[0.5], [-1.5]];
const B = [0.25];

function model(args: Partial<tl.layers.DenseArgs>, optimizer: tl.optimizers.Optimizer = tl.optimizers.sgd(0.1)) {
  const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2], ...args })] });
  m.setWeights([tl.tensor(W), tl.tensor(B)]);
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}
const mse = (): number => tl.noGrad(() => tl.matmul(x, tl.tensor(W)).add(tl.tensor(B)).sub(y).square().mean().item());
const out = (): tl.Tensor => tl.noGrad(() => tl.matmul(x, tl.tensor(W)).add(tl.tensor(B)));

describe.each(availableBackends())('regularizers on %s', (backend) => {
  useBackend(backend);
  const tempDir = tempDirs();

  it('l2 on the kernel: evaluate reports mse + l2·Σw²', () => {
    const [loss] = model({ kernelRegularizer: tl.regularizers.l2({ l2: 0.1 }) }).evaluate(x, y, { verbose: 0 });
    expect(loss).toBeCloseTo(mse() + 0.1 * (0.25 + 2.25), 5);
  });
  it('l1 on kernel and bias, l1l2, and names (0.01 defaults, as tfjs)', () => {
    const l1 = model({ kernelRegularizer: tl.regularizers.l1({ l1: 0.2 }), biasRegularizer: 'l1' }).evaluate(x, y, {
      verbose: 0,
    })[0];
    expect(l1).toBeCloseTo(mse() + 0.2 * 2 + 0.01 * 0.25, 5);
    const both = model({ kernelRegularizer: tl.regularizers.l1l2({ l1: 0.1, l2: 0.2 }) }).evaluate(x, y, {
      verbose: 0,
    })[0];
    expect(both).toBeCloseTo(mse() + 0.1 * 2 + 0.2 * 2.5, 5);
    expect(model({ kernelRegularizer: 'l2' }).evaluate(x, y, { verbose: 0 })[0]).toBeCloseTo(mse() + 0.01 * 2.5, 5);
  });
  it('activityRegularizer penalises the output, divided by the batch size', () => {
    const act = Array.from(out().dataSync()).reduce((s, v) => s + Math.abs(v), 0) / 4;
    const [loss] = model({ activityRegularizer: tl.regularizers.l1({ l1: 0.3 }) }).evaluate(x, y, {
      verbose: 0,
      batchSize: 4,
    });
    expect(loss).toBeCloseTo(mse() + 0.3 * act, 5);
  });

  it('fit minimises and reports the penalised loss: one SGD step is w − lr·(∂mse/∂w + 2·l2·w)', async () => {
    const m = model({ kernelRegularizer: tl.regularizers.l2({ l2: 0.5 }) });
    const h = await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(mse() + 0.5 * 2.5, 5);
    // The same step by hand through autograd.
    const w = tl.tensor(W, undefined, { requiresGrad: true });
    const b = tl.tensor(B, undefined, { requiresGrad: true });
    tl.matmul(x, w).add(b).sub(y).square().mean().add(w.square().sum().mul(0.5)).backward();
    const [kernel, bias] = m.getWeights();
    expectTensor(kernel, tl.tensor(W).sub(w.grad!.mul(0.1)).arraySync() as number[][], { rtol: 1e-5, atol: 1e-6 });
    expectTensor(bias, tl.tensor(B).sub(b.grad!.mul(0.1)).arraySync() as number[], { rtol: 1e-5, atol: 1e-6 });
  });
  it('a strong l2 shrinks the kernel that the data alone would not', async () => {
    const fitKernel = async (reg?: tl.regularizers.L1L2) => {
      const m = model(reg ? { kernelRegularizer: reg } : {}, tl.optimizers.adam(0.05));
      await m.fit(x, y, { epochs: 60, batchSize: 4, verbose: 0 });
      return Math.hypot(...m.getWeights()[0].dataSync());
    };
    expect(await fitKernel(tl.regularizers.l2({ l2: 1 }))).toBeLessThan(0.8 * (await fitKernel()));
  });

  it('conv, recurrent and embedding layers add their penalties', () => {
    const cases: [tl.layers.Layer, tl.Tensor][] = [
      [
        tl.layers.conv1d({
          filters: 2,
          kernelSize: 2,
          inputShape: [3, 2],
          kernelRegularizer: tl.regularizers.l2({ l2: 0.1 }),
        }),
        tl.ones([2, 3, 2]),
      ],
      [
        tl.layers.lstm({ units: 2, inputShape: [3, 2], recurrentRegularizer: tl.regularizers.l1({ l1: 0.1 }) }),
        tl.ones([2, 3, 2]),
      ],
      [
        tl.layers.embedding({
          inputDim: 5,
          outputDim: 2,
          inputLength: 3,
          embeddingsRegularizer: tl.regularizers.l2({ l2: 0.1 }),
        }),
        tl.tensor([
          [1, 2, 3],
          [0, 4, 1],
        ]),
      ],
    ];
    for (const [layer, input] of cases) {
      layer.apply(input);
      const weight = layer.weights.find(
        (v) => /kernel|embeddings/.test(v.name) && (layer.className !== 'LSTM' || v.name.endsWith('recurrent_kernel')),
      )!;
      const v = Array.from(weight.value.dataSync());
      const expected =
        layer.className === 'LSTM'
          ? 0.1 * v.reduce((s, a) => s + Math.abs(a), 0)
          : 0.1 * v.reduce((s, a) => s + a * a, 0);
      const [penalty] = layer.regularizationLosses();
      expect(penalty.item()).toBeCloseTo(expected, 5);
    }
  });

  it('are saved in the config (tfjs form) and loaded back', async () => {
    const m = model({ kernelRegularizer: tl.regularizers.l1l2({ l1: 0.125, l2: 0.5 }), activityRegularizer: 'l2' });
    const dir = tempDir();
    await m.save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const config = json.modelTopology.config.layers[0].config;
    expect(config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.125, l2: 0.5 } });
    expect(config.activity_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
    expect(config.bias_regularizer).toBeNull();
    const loaded = await tl.loadModel(join(dir, 'model.json'));
    loaded.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(loaded.evaluate(x, y, { verbose: 0, batchSize: 4 })[0]).toBeCloseTo(
      m.evaluate(x, y, { verbose: 0, batchSize: 4 })[0],
      5,
    );
  });

  it("reads Keras 2.6+ 'L2' {l2} configs", async () => {
    const m = model({});
    const dir = tempDir();
    await m.save(`file://${dir}`);
    const file = join(dir, 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.modelTopology.config.layers[0].config.kernel_regularizer = { class_name: 'L2', config: { l2: 0.1 } };
    (await import('node:fs')).writeFileSync(file, JSON.stringify(json));
    const loaded = await tl.loadModel(file);
    loaded.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(loaded.evaluate(x, y, { verbose: 0 })[0]).toBeCloseTo(mse() + 0.1 * 2.5, 5);
  });

  it('refuses bad regularizers with a TensileError', () => {
    expectTensileError(
      () => tl.layers.dense({ units: 1, kernelRegularizer: 'l3' }),
      'layers.dense',
      "'l3'",
      'l1, l2, l1l2',
    );
    expectTensileError(() => tl.regularizers.l2({ l2: -1 }), 'regularizers.l1l2', 'l2', '-1');
    expectTensileError(() => tl.regularizers.l1({ l2: 1 } as never), 'regularizers.l1', "'l2'");
  });
});
