import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectRejects } from '../models/fixtures.js';
import { DATA, inputs, readJsonFile, sameBits, tempDirs, writeJsonFile } from './fixtures.js';

const tmp = tempDirs();
const MODELS = join(DATA, 'models');

describe('real files written by Keras 2.6 + the tfjs converter and by tfjs-layers 4.17', () => {
  it('keras-mnist-dense loads (model_config wrapper, InputLayer, nested initializers) and classifies MNIST', async () => {
    const model = await tl.loadModel(`file://${join(MODELS, 'keras-mnist-dense', 'model.json')}`);
    expect(model.name).toBe('sequential_1');
    expect((model as tl.Sequential).inputBatchShape).toEqual([null, 28, 28, 1]);
    expect(model.layers.map((l) => `${l.name}:${l.className}`)).toEqual([
      'flatten_1:Flatten',
      'dense_1:Dense',
      'activation_1:Activation',
    ]);
    expect(model.layers[1].getConfig()).toMatchObject({
      units: 10,
      activation: 'linear',
      kernelInitializer: 'glorotUniform',
      biasInitializer: 'zeros',
    });
    const n = 500;
    const { xTest, yTest } = tl.data.loadMnist(join(DATA, 'mnist'), { limit: n });
    const probs = model.predict(xTest.reshape([n, 28, 28, 1])) as tl.Tensor;
    expect(probs.shape).toEqual([n, 10]);
    const predicted = probs.argmax(-1).dataSync();
    let correct = 0;
    for (let i = 0; i < n; i++) if (predicted[i] === yTest.data[i]) correct++;
    // 0.914 on the first 500 test images (a single softmax layer: Keras reports about 0.92 on all 10k).
    expect(correct / n).toBeGreaterThan(0.85);
  });

  // Two CNNs: Keras 2.6 (Conv2D 'same' + Activation layers, 4 conv blocks) and tfjs-layers 4.17 (5×5 and 3×3 'valid'
  // convs with fused relu, Dropout). Both classify the first 500 test images as their trainers left them.
  it.each([
    [
      'keras-mnist-cnn',
      [
        'Conv2D',
        'Activation',
        'Conv2D',
        'Activation',
        'MaxPooling2D',
        'Conv2D',
        'Activation',
        'MaxPooling2D',
        'Conv2D',
        'Activation',
        'MaxPooling2D',
        'Flatten',
        'Dense',
      ],
      0.99,
    ],
    [
      'tfjs-mnist-cnn-dropout',
      [
        'Conv2D',
        'Conv2D',
        'MaxPooling2D',
        'Dropout',
        'Conv2D',
        'Conv2D',
        'MaxPooling2D',
        'Dropout',
        'Flatten',
        'Dense',
        'Dropout',
        'Dense',
      ],
      0.985,
    ],
  ] as const)('%s loads and classifies MNIST', async (folder, classes, minAccuracy) => {
    const model = await tl.loadModel(`file://${join(MODELS, folder, 'model.json')}`);
    expect(model.layers.map((l) => l.className)).toEqual(classes);
    expect((model as tl.Sequential).inputBatchShape).toEqual([null, 28, 28, 1]);
    const n = 500;
    const { xTest, yTest } = tl.data.loadMnist(join(DATA, 'mnist'), { limit: n });
    const predicted = (model.predict(xTest.reshape([n, 28, 28, 1])) as tl.Tensor).argmax(-1).dataSync();
    let correct = 0;
    for (let i = 0; i < n; i++) if (predicted[i] === yTest.data[i]) correct++;
    // Measured: 0.994 (keras-mnist-cnn) and 0.992 (tfjs-mnist-cnn-dropout) on these 500 images.
    expect(correct / n).toBeGreaterThanOrEqual(minAccuracy);
  });
});

// Hand-written topologies in the exact spellings of Keras 2 and Keras 3 (through the tfjs converter),
// with the weights of a tensile model of the same layers.
const dtypePolicy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const k3init = (cls: string, config: object = { seed: null }) => ({
  module: 'keras.initializers',
  class_name: cls,
  config,
  registered_name: null,
});
const k3dense = (name: string, units: number, activation: string, inputShape: (number | null)[]) => ({
  module: 'keras.layers',
  class_name: 'Dense',
  registered_name: null,
  build_config: { input_shape: inputShape },
  config: {
    name,
    trainable: true,
    dtype: dtypePolicy,
    units,
    activation,
    use_bias: true,
    kernel_initializer: k3init('GlorotUniform'),
    bias_initializer: k3init('Zeros', {}),
    kernel_regularizer: null,
    bias_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    lora_rank: null,
  },
});
const k2dense = (name: string, units: number, activation: string) => ({
  class_name: 'Dense',
  config: {
    name,
    trainable: true,
    dtype: 'float32',
    units,
    activation,
    use_bias: true,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  },
});
const keras3Tensor = (from: string, shape: (number | null)[]) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [from, 0, 0] },
});

/** A 4 → 6 (relu) → 3 (softmax) reference saved by tensile; its model.json is then replaced by `topology`. */
async function withTopology(
  topology: object,
  weightName: (layer: string, w: string) => string,
  layerNames = ['dense', 'dense_1'],
) {
  const dir = tmp();
  tl.setSeed(12);
  const ref = tl.sequential({
    layers: [
      tl.layers.dense({ units: 6, inputShape: [4], activation: 'relu', name: 'ref_a' }),
      tl.layers.dense({ units: 3, activation: 'softmax', name: 'ref_b' }),
    ],
  });
  await ref.save(dir);
  const json = readJsonFile(join(dir, 'model.json'));
  json.modelTopology = topology;
  json.weightsManifest[0].weights.forEach((w: { name: string }, i: number) => {
    w.name = weightName(layerNames[i >> 1], i % 2 === 0 ? 'kernel' : 'bias');
  });
  writeJsonFile(join(dir, 'model.json'), json);
  return { dir, ref };
}

async function expectSamePredictions(dir: string, ref: tl.Sequential) {
  const model = await tl.loadModel(join(dir, 'model.json'));
  const x = inputs([5, 4], 31);
  expect(sameBits((model.predict(x) as tl.Tensor).data, (ref.predict(x) as tl.Tensor).data)).toBe(true);
  return model;
}

describe('Keras 2 and Keras 3 spellings, through the tfjs converter', () => {
  it('Keras 3 Sequential: batch_shape InputLayer, DTypePolicy, {module, class_name, config, registered_name}, prefixed weight names', async () => {
    const topology = {
      keras_version: '3.4.1',
      backend: 'tensorflow',
      model_config: {
        module: 'keras',
        class_name: 'Sequential',
        registered_name: null,
        config: {
          name: 'sequential',
          trainable: true,
          dtype: dtypePolicy,
          layers: [
            {
              module: 'keras.layers',
              class_name: 'InputLayer',
              registered_name: null,
              config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' },
            },
            k3dense('dense', 6, 'relu', [null, 4]),
            k3dense('dense_1', 3, 'softmax', [null, 6]),
          ],
          build_input_shape: [null, 4],
        },
      },
    };
    const { dir, ref } = await withTopology(topology, (l, w) => `sequential/${l}/${w}`);
    const model = await expectSamePredictions(dir, ref);
    expect((model as tl.Sequential).inputBatchShape).toEqual([null, 4]);
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
  });

  it('Keras 3 Sequential without an InputLayer takes the input shape from build_config', async () => {
    const topology = {
      module: 'keras',
      class_name: 'Sequential',
      registered_name: null,
      config: {
        name: 'seq',
        trainable: true,
        dtype: dtypePolicy,
        layers: [k3dense('dense', 6, 'relu', [null, 4]), k3dense('dense_1', 3, 'softmax', [null, 6])],
      },
    };
    const { dir, ref } = await withTopology(topology, (l, w) => `${l}/${w}`);
    expect(((await expectSamePredictions(dir, ref)) as tl.Sequential).inputBatchShape).toEqual([null, 4]);
  });

  it('Keras 3 Functional: __keras_tensor__ inbound nodes, single input_layers entry', async () => {
    const topology = {
      keras_version: '3.4.1',
      backend: 'tensorflow',
      model_config: {
        module: 'keras.src.models.functional',
        class_name: 'Functional',
        registered_name: 'Functional',
        config: {
          name: 'functional',
          trainable: true,
          layers: [
            {
              module: 'keras.layers',
              class_name: 'InputLayer',
              registered_name: null,
              name: 'input_layer',
              inbound_nodes: [],
              config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' },
            },
            {
              ...k3dense('dense', 6, 'relu', [null, 4]),
              name: 'dense',
              inbound_nodes: [{ args: [keras3Tensor('input_layer', [null, 4])], kwargs: {} }],
            },
            {
              ...k3dense('dense_1', 3, 'softmax', [null, 6]),
              name: 'dense_1',
              inbound_nodes: [{ args: [keras3Tensor('dense', [null, 6])], kwargs: {} }],
            },
          ],
          input_layers: ['input_layer', 0, 0],
          output_layers: ['dense_1', 0, 0],
        },
      },
    };
    const { dir, ref } = await withTopology(topology, (l, w) => `${l}/${w}`);
    const model = await expectSamePredictions(dir, ref);
    expect(model.name).toBe('functional');
  });

  it('Keras 2 Functional (layers listed out of order), weight names with :0', async () => {
    const input = {
      class_name: 'InputLayer',
      name: 'input_1',
      inbound_nodes: [],
      config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' },
    };
    const topology = {
      keras_version: '2.6.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Functional',
        config: {
          name: 'model',
          layers: [
            { ...k2dense('dense_1', 3, 'softmax'), name: 'dense_1', inbound_nodes: [[['dense', 0, 0, {}]]] },
            input,
            { ...k2dense('dense', 6, 'relu'), name: 'dense', inbound_nodes: [[['input_1', 0, 0, {}]]] },
          ],
          input_layers: [['input_1', 0, 0]],
          output_layers: [['dense_1', 0, 0]],
        },
      },
    };
    const { dir, ref } = await withTopology(topology, (l, w) => `${l}/${w}:0`);
    const model = await expectSamePredictions(dir, ref);
    // A graph's layers include its InputLayer (Keras and tfjs).
    expect(model.layers.map((l) => l.name)).toEqual(['input_1', 'dense', 'dense_1']);
  });

  it('Keras ≤ 2.1: a Sequential config that is a bare list, string initializers, input_dim', async () => {
    const old = (name: string, units: number, activation: string, extra: object = {}) => ({
      class_name: 'Dense',
      config: {
        name,
        units,
        activation,
        use_bias: true,
        kernel_initializer: 'glorot_uniform',
        bias_initializer: 'zeros',
        ...extra,
      },
    });
    const topology = {
      class_name: 'Sequential',
      config: [old('dense', 6, 'relu', { input_dim: 4 }), old('dense_1', 3, 'softmax')],
    };
    const { dir, ref } = await withTopology(topology, (l, w) => `${l}/${w}`);
    await expectSamePredictions(dir, ref);
  });

  it('weights named by no rule of ours load in Keras order when every shape agrees', async () => {
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { ...k2dense('a', 6, 'relu'), config: { ...k2dense('a', 6, 'relu').config, batch_input_shape: [null, 4] } },
          k2dense('b', 3, 'softmax'),
        ],
      },
    };
    const { dir, ref } = await withTopology(topology, (l, w) => `var_${l}_${w}`, ['x', 'y']);
    await expectSamePredictions(dir, ref);
  });

  it('a branched functional model loads; a missing layer, a missing call and a cycle are errors naming the file', async () => {
    const node = (from: string) => [[[from, 0, 0, {}]]];
    const layers = [
      { class_name: 'InputLayer', name: 'in', inbound_nodes: [], config: { batch_input_shape: [null, 4], name: 'in' } },
      { ...k2dense('dense', 6, 'relu'), name: 'dense', inbound_nodes: node('in') },
      { ...k2dense('dense_1', 6, 'relu'), name: 'dense_1', inbound_nodes: node('in') },
      {
        class_name: 'Add',
        name: 'add',
        config: { name: 'add' },
        inbound_nodes: [
          [
            ['dense', 0, 0, {}],
            ['dense_1', 0, 0, {}],
          ],
        ],
      },
    ];
    const branched = {
      class_name: 'Functional',
      config: { name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: [['add', 0, 0]] },
    };
    const { dir } = await withTopology(branched, (l, w) => `${l}/${w}`);
    const file = join(dir, 'model.json');
    // The manifest holds a [4, 6] and a [6, 3] kernel: dense_1 needs [4, 6] too, so the file's values do not fit it.
    await expectRejects(tl.loadModel(file), 'loadModel', file, 'dense_1/kernel');
    const twoOutputs = {
      class_name: 'Model',
      config: {
        name: 'm',
        layers: layers.slice(0, 2),
        input_layers: [['in', 0, 0]],
        output_layers: [
          ['dense', 0, 0],
          ['in', 0, 0],
        ],
      },
    };
    writeJsonFile(file, { ...readJsonFile(file), modelTopology: twoOutputs });
    const two = await tl.loadModel(file);
    const outs = two.predict(inputs([3, 4], 5)) as tl.Tensor[];
    expect(outs.map((t) => t.shape)).toEqual([
      [3, 6],
      [3, 4],
    ]);
    expect(Array.from(outs[1].data)).toEqual(Array.from(inputs([3, 4], 5).data));
    const missing = {
      class_name: 'Model',
      config: { name: 'm', layers: layers.slice(0, 2), input_layers: [['in', 0, 0]], output_layers: [['nope', 0, 0]] },
    };
    writeJsonFile(file, { ...readJsonFile(file), modelTopology: missing });
    await expectRejects(tl.loadModel(file), 'loadModel', file, "refers to layer 'nope', which is not in the model");
    const noCall = {
      class_name: 'Model',
      config: { name: 'm', layers: layers.slice(0, 2), input_layers: [['in', 0, 0]], output_layers: [['dense', 1, 0]] },
    };
    writeJsonFile(file, { ...readJsonFile(file), modelTopology: noCall });
    await expectRejects(
      tl.loadModel(file),
      'loadModel',
      file,
      "output 0 of call 1 of 'dense', which the file does not make",
    );
    const cycle = [
      layers[0],
      { ...layers[1], inbound_nodes: node('dense_1') },
      { ...layers[2], inbound_nodes: node('dense') },
    ];
    writeJsonFile(file, {
      ...readJsonFile(file),
      modelTopology: {
        class_name: 'Model',
        config: { name: 'm', layers: cycle, input_layers: [['in', 0, 0]], output_layers: [['dense_1', 0, 0]] },
      },
    });
    await expectRejects(
      tl.loadModel(file),
      'loadModel',
      file,
      "'dense', 'dense_1' wait on each other's outputs (a cycle)",
    );
    writeJsonFile(file, { ...readJsonFile(file), modelTopology: { class_name: 'Subclassed', config: {} } });
    await expectRejects(tl.loadModel(file), 'loadModel', file, "model class 'Subclassed' is not supported");
  });

  it('a file whose first layer gives no input shape cannot place its weights', async () => {
    const { dir } = await withTopology(
      {
        class_name: 'Sequential',
        config: { name: 's', layers: [k2dense('dense', 6, 'relu'), k2dense('dense_1', 3, 'softmax')] },
      },
      (l, w) => `${l}/${w}`,
    );
    await expectRejects(tl.loadModel(dir), 'loadModel', 'does not give the input shape');
  });

  it("the converter's quantized weights (uint8 affine, float16) are dequantized", async () => {
    const dir = tmp();
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'q',
        layers: [
          {
            ...k2dense('dense', 2, 'linear'),
            config: { ...k2dense('dense', 2, 'linear').config, batch_input_shape: [null, 2] },
          },
        ],
      },
    };
    writeJsonFile(join(dir, 'model.json'), {
      format: 'layers-model',
      modelTopology: topology,
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            {
              name: 'dense/kernel',
              shape: [2, 2],
              dtype: 'float32',
              quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
            },
            { name: 'dense/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
          ],
        },
      ],
    });
    // uint8 0..3 → −1, −0.5, 0, 0.5; float16 0x3c00 = 1, 0xc000 = −2 (little-endian).
    writeFileSync(join(dir, 'group1-shard1of1.bin'), Uint8Array.from([0, 1, 2, 3, 0x00, 0x3c, 0x00, 0xc0]));
    const model = await tl.loadModel(dir);
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual([
      [-1, -0.5, 0, 0.5],
      [1, -2],
    ]);
  });

  it('a real file copied elsewhere still finds its shard beside it', async () => {
    const dir = tmp();
    for (const f of ['model.json', 'group1-shard1of1.bin'])
      copyFileSync(join(MODELS, 'keras-mnist-dense', f), join(dir, f));
    expect((await tl.loadModel(`file://${dir}`)).countParams()).toBe(7850);
  });
});
