import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { registerLayer } from '../../lib/layers/registry.js';
import { expectRejects } from '../models/fixtures.js';
import { allWeights, inputs, mlp, readJsonFile, sameBits, tempDirs } from './fixtures.js';

const tmp = tempDirs();

describe('model.save writes the TensorFlow.js Layers format', () => {
  it('writes model.json with the tfjs-layers topology and a weights manifest', async () => {
    const dir = tmp();
    const model = mlp();
    const result = await model.save(`file://${dir}`);
    expect(result.files.map((f) => f.slice(dir.length + 1))).toEqual(['model.json', 'group1-shard1of1.bin']);
    const json = readJsonFile(join(dir, 'model.json'));
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe(`tensile ${tl.version()}`);
    expect(json.convertedBy).toBeNull();
    const topo = json.modelTopology;
    expect(topo.class_name).toBe('Sequential');
    expect(topo.keras_version).toBe(`tensile ${tl.version()}`);
    expect(topo.config.name).toBe(model.name);
    const [d1, drop, d2] = topo.config.layers;
    expect(d1).toEqual({
      class_name: 'Dense',
      config: {
        name: model.layers[0].name,
        trainable: true,
        dtype: 'float32',
        batch_input_shape: [null, 5],
        units: 8,
        activation: 'relu',
        use_bias: true,
        kernel_initializer: {
          class_name: 'VarianceScaling',
          config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
        },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    });
    expect(drop).toEqual({
      class_name: 'Dropout',
      config: {
        name: model.layers[1].name,
        trainable: true,
        dtype: 'float32',
        rate: 0.25,
        seed: null,
        noise_shape: null,
      },
    });
    expect(d2.config.batch_input_shape).toBeUndefined();
    expect(json.weightsManifest).toEqual([
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: `${model.layers[0].name}/kernel`, shape: [5, 8], dtype: 'float32' },
          { name: `${model.layers[0].name}/bias`, shape: [8], dtype: 'float32' },
          { name: `${model.layers[2].name}/kernel`, shape: [8, 3], dtype: 'float32' },
          { name: `${model.layers[2].name}/bias`, shape: [3], dtype: 'float32' },
        ],
      },
    ]);
    // The shard is the weights' float32 values, little-endian, in manifest order.
    const bin = readFileSync(join(dir, 'group1-shard1of1.bin'));
    expect(bin.length).toBe((40 + 8 + 24 + 3) * 4);
    expect(result.weightBytes).toBe(bin.length);
    const expected = Float32Array.from(allWeights(model));
    expect(sameBits(new Float32Array(bin.buffer, bin.byteOffset, bin.length / 4), expected)).toBe(true);
  });

  it('loads back with bit-identical weights, names, configs and predictions', async () => {
    const dir = tmp();
    const model = mlp(11);
    const x = inputs([7, 5]);
    await model.save(`file://${dir}`);
    const loaded = await tl.loadModel(`file://${dir}/model.json`);
    expect(loaded.name).toBe(model.name);
    expect(loaded.layers.map((l) => [l.name, l.className])).toEqual(model.layers.map((l) => [l.name, l.className]));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, (model.predict(x) as tl.Tensor).data)).toBe(true);
  });

  it('round-trips every loadable layer and its options', async () => {
    const dir = tmp();
    tl.setSeed(5);
    const model = tl.sequential({
      layers: [
        tl.layers.inputLayer({ inputShape: [12] }),
        tl.layers.reshape({ targetShape: [3, -1] }),
        tl.layers.dense({ units: 6, activation: 'leakyRelu', useBias: false, kernelInitializer: 'heNormal' }),
        tl.layers.flatten(),
        tl.layers.dense({ units: 5, activation: 'elu', kernelInitializer: 'lecunUniform', biasInitializer: 'ones' }),
        tl.layers.activation({ activation: 'softplus' }),
        tl.layers.dropout({ rate: 0.5, seed: 7 }),
        tl.layers.dense({ units: 2, activation: 'gelu', kernelInitializer: 'orthogonal' }),
      ],
    });
    await model.save(dir);
    const loaded = await tl.loadModel(dir);
    expect((loaded as tl.Sequential).inputBatchShape).toEqual([null, 12]);
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(
      model.layers.map((l, i) => ({ ...l.getConfig(), ...(i === 0 ? { batchInputShape: [null, 12] } : {}) })),
    );
    const x = inputs([4, 12], 2);
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, (model.predict(x) as tl.Tensor).data)).toBe(true);
    const topo = readJsonFile(join(dir, 'model.json')).modelTopology.config.layers;
    expect(topo.map((l: { class_name: string }) => l.class_name)).toEqual([
      'Reshape',
      'Dense',
      'Flatten',
      'Dense',
      'Activation',
      'Dropout',
      'Dense',
    ]);
    expect(topo[0].config).toMatchObject({ target_shape: [3, -1], batch_input_shape: [null, 12] });
    expect(topo[1].config).toMatchObject({ activation: 'leaky_relu', use_bias: false });
    expect(topo[1].config.kernel_initializer.config).toEqual({
      scale: 2,
      mode: 'fan_in',
      distribution: 'truncated_normal',
      seed: null,
    });
    expect(topo[5].config.seed).toBe(7);
  });

  it('cuts weights into shards of at most 4 MiB, named as tfjs names them', async () => {
    const dir = tmp();
    tl.setSeed(1);
    const model = tl.sequential({
      layers: [tl.layers.dense({ units: 1100, inputShape: [1000], kernelInitializer: 'randomUniform' })],
    });
    await model.save(`file://${dir}`);
    const json = readJsonFile(join(dir, 'model.json'));
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(statSync(join(dir, 'group1-shard1of2.bin')).size).toBe(4 * 1024 * 1024);
    expect(statSync(join(dir, 'group1-shard2of2.bin')).size).toBe((1000 * 1100 + 1100) * 4 - 4 * 1024 * 1024);
    const loaded = await tl.loadModel(`file://${dir}/model.json`);
    expect(sameBits(loaded.layers[0].getWeights()[0].data, model.layers[0].getWeights()[0].data)).toBe(true);
  });

  it('overwrites an earlier save in place and leaves no temporary files', async () => {
    const dir = tmp();
    await mlp(1).save(dir);
    const second = mlp(2);
    await second.save(dir);
    // The replacing save writes its shard under a name the old model.json does not use, then removes the old one.
    const paths = () => readJsonFile(join(dir, 'model.json')).weightsManifest[0].paths;
    expect(paths()).toEqual([expect.stringMatching(/^group1-shard1of1\.[0-9a-f]{8}\.bin$/)]);
    expect(readdirSync(dir).sort()).toEqual([...paths(), 'model.json']);
    expect(allWeights(await tl.loadModel(dir))).toEqual(allWeights(second));
    // ... and the next one can take the plain name again.
    await mlp(3).save(dir);
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
  });

  it('saves a lazily built model once fit has built it, and refuses one that was never built', async () => {
    const lazy = tl.sequential({ layers: [tl.layers.dense({ units: 2 })] });
    await expectRejects(lazy.save(tmp()), 'save', 'not built');
    lazy.predict(inputs([1, 3]));
    const dir = tmp();
    await lazy.save(dir);
    expect(readJsonFile(join(dir, 'model.json')).modelTopology.config.layers[0].config.batch_input_shape).toEqual([
      null,
      3,
    ]);
    expect(((await tl.loadModel(dir)) as tl.Sequential).inputBatchShape).toEqual([null, 3]);
  });

  it('refuses URL schemes other than file://', async () => {
    await expectRejects(mlp().save('indexeddb://my-model'), 'save', "unsupported URL scheme 'indexeddb://'");
    await expectRejects(
      tl.loadModel('https://example.com/model.json'),
      'loadModel',
      "unsupported URL scheme 'https://'",
    );
  });

  it('a loaded model never takes default names that collide with its own', async () => {
    const dir = tmp();
    const model = tl.sequential({ layers: [tl.layers.dense({ units: 2, inputShape: [3], name: 'dense_41' })] });
    await model.save(dir);
    const loaded = await tl.loadModel(dir);
    const head = tl.layers.dense({ units: 1 });
    expect(head.name).not.toBe('dense_41');
    expect(() => tl.sequential({ layers: [...loaded.layers, head] })).not.toThrow();
  });
});

describe('includeOptimizer: resuming fit', () => {
  const data = () => {
    const x = inputs([64, 5], 21);
    const labels = Array.from(x.argmax(-1).dataSync(), (v) => v % 3);
    return { x, y: tl.utils.toCategorical(labels, 3) };
  };

  it.each([
    ['adam', () => tl.optimizers.adam({ learningRate: 0.01 })],
    ['sgd with nesterov momentum', () => tl.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['centered rmsprop with momentum', () => tl.optimizers.rmsprop({ momentum: 0.5, centered: true })],
  ])('%s: fit 2 epochs, save, load, fit 2 more = fit 4 epochs, bit for bit', async (_, optimizer) => {
    const { x, y } = data();
    const fitOptions = { batchSize: 16, shuffle: false, verbose: 0 as const };
    const straight = mlp(9);
    const resumed = mlp(9);
    straight.compile({ optimizer: optimizer(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    resumed.compile({ optimizer: optimizer(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    // The same random draws (dropout masks) in both runs: loading a model draws nothing.
    tl.setSeed(100);
    const h4 = await straight.fit(x, y, { ...fitOptions, epochs: 4 });
    tl.setSeed(100);
    await resumed.fit(x, y, { ...fitOptions, epochs: 2 });
    const dir = tmp();
    const saved = await resumed.save(`file://${dir}`, { includeOptimizer: true });
    expect(saved.files.map((f) => f.slice(dir.length + 1))).toEqual([
      'model.json',
      'group1-shard1of1.bin',
      'optimizer.json',
      'optimizer.bin',
    ]);
    const loaded = await tl.loadModel(`file://${dir}/model.json`);
    expect(loaded.optimizer?.iterations).toBe(8);
    const h2 = await loaded.fit(x, y, { ...fitOptions, epochs: 4, initialEpoch: 2 });
    expect(h2.epoch).toEqual([2, 3]);
    expect(h2.history.loss).toEqual(h4.history.loss.slice(2));
    expect(h2.history.accuracy).toEqual(h4.history.accuracy.slice(2));
    expect(allWeights(loaded)).toEqual(allWeights(straight));
  });

  it('without includeOptimizer the model loads uncompiled; with it, compiled with the saved loss', async () => {
    const model = mlp();
    model.compile({ optimizer: 'adamw', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const plain = tmp();
    await model.save(plain);
    expect((await tl.loadModel(plain)).optimizer).toBeUndefined();
    const withOpt = tmp();
    await model.save(withOpt, { includeOptimizer: true });
    const loaded = await tl.loadModel(withOpt);
    expect(loaded.optimizer?.className).toBe('AdamW');
    expect(loaded.optimizer?.getConfig()).toEqual(model.optimizer!.getConfig());
    expect(loaded.evaluate(inputs([4, 5]), tl.utils.toCategorical([0, 1, 2, 0], 3), { verbose: 0 })).toHaveLength(2);
    expect(readJsonFile(join(withOpt, 'model.json')).userDefinedMetadata).toEqual({
      tensile: { optimizer: 'optimizer.json' },
    });
  });

  it('includeOptimizer on an uncompiled model is an error', async () => {
    await expectRejects(mlp().save(tmp(), { includeOptimizer: true }), 'save', 'compile');
  });
});

describe('transfer learning with a loaded model', () => {
  it('re-adds loaded layers to a new model, frozen, and fine-tunes only the new head', async () => {
    const dir = tmp();
    const base = mlp(4);
    await base.save(dir);
    const loaded = await tl.loadModel(dir);
    const [body, dropout] = loaded.layers;
    body.trainable = false;
    const model = tl.sequential({ layers: [body, dropout, tl.layers.dense({ units: 2, activation: 'softmax' })] });
    model.compile({
      optimizer: tl.optimizers.adam({ learningRate: 0.05 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const lines: string[] = [];
    model.summary(undefined, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/Non-trainable params: 48/);
    const frozen = body.getWeights().map((w) => Array.from(w.data));
    const x = inputs([80, 5], 8);
    const y = tl.tensor(Array.from({ length: 80 }, (_, i) => (x.data[i * 5] > 0 ? 1 : 0)));
    tl.setSeed(3);
    const h = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    expect(body.getWeights().map((w) => Array.from(w.data))).toEqual(frozen);
    expect(h.history.accuracy[29]).toBeGreaterThan(0.8);
    expect(model.getLayer(body.name)).toBe(body);
    const round = tmp();
    await model.save(round);
    const again = await tl.loadModel(round);
    expect(again.layers[0].trainable).toBe(false);
    expect(sameBits((again.predict(x) as tl.Tensor).data, (model.predict(x) as tl.Tensor).data)).toBe(true);
  });

  it('getWeights/setWeights move weights between a loaded model and a fresh one', async () => {
    const dir = tmp();
    const base = mlp(6);
    await base.save(dir);
    const loaded = await tl.loadModel(dir);
    const fresh = mlp(7);
    fresh.setWeights(loaded.getWeights());
    const x = inputs([3, 5]);
    expect(sameBits(fresh.predict(x).data, base.predict(x).data)).toBe(true);
    expect(existsSync(join(dir, 'optimizer.json'))).toBe(false);
  });
});

/** A user's layer: registered, with no entry in io's table, so its getConfig() keys travel as they are. */
class Scale extends tl.layers.Layer<tl.layers.LayerArgs & { factor: number }> {
  static override readonly className = 'TestScale';
  call(x: tl.Tensor): tl.Tensor {
    return tl.mul(x, this.args.factor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.args.factor };
  }
}
registerLayer(Scale);

describe('layers of the user', () => {
  it('a registered custom layer round-trips through its getConfig()', async () => {
    const dir = tmp();
    const model = tl.sequential({
      layers: [new Scale({ factor: 2.5, inputShape: [3] }), tl.layers.dense({ units: 2 })],
    });
    await model.save(dir);
    expect(readJsonFile(join(dir, 'model.json')).modelTopology.config.layers[0]).toMatchObject({
      class_name: 'TestScale',
      config: { factor: 2.5 },
    });
    const loaded = await tl.loadModel(dir);
    expect(loaded.layers[0]).toBeInstanceOf(Scale);
    const x = inputs([2, 3]);
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, (model.predict(x) as tl.Tensor).data)).toBe(true);
  });

  it('an unregistered layer class cannot be saved', async () => {
    class Unregistered extends tl.layers.Layer {
      static override readonly className = 'Unregistered';
      call(x: tl.Tensor): tl.Tensor {
        return x;
      }
    }
    const model = tl.sequential({ layers: [new Unregistered({ inputShape: [2] })] });
    await expectRejects(model.save(tmp()), 'save', "layer class 'Unregistered' is not registered");
  });
});
