// Transfer learning with the functional API: train a digit classifier on MNIST, save it, load it back, cut it at
// an inner layer (a feature extractor sharing its weights), freeze the extractor's first layer, put a new head on
// the cut and fine-tune on Fashion-MNIST.
// Run: npx tsx examples/transfer.ts [--data ../shared/data/mnist] [--fashion ../shared/data/fashion-mnist]
//        [--limit 10000] [--epochs 3] [--fine-tune-epochs 5] [--out <tmp>/tensile-transfer] [--verbose 0]
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/mnist' },
    fashion: { type: 'string', default: '../shared/data/fashion-mnist' },
    limit: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '3' },
    'fine-tune-epochs': { type: 'string', default: '5' },
    out: { type: 'string', default: join(tmpdir(), 'tensile-transfer') },
    verbose: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  },
});
const limit = Number(values.limit);
const verbose = Number(values.verbose) as 0 | 1 | 2;
const pct = (accuracy: number) => `${(accuracy * 100).toFixed(2)}%`;
tl.setSeed(Number(values.seed));

// 1. A 784-128-64-10 classifier on MNIST digits, written as a graph.
const digits = tl.data.loadMnist(values.data!, { limit });
const image = tl.input({ shape: [28, 28], name: 'image' });
const flat = tl.layers.flatten().apply(image) as tl.SymbolicTensor;
const h1 = tl.layers.dense({ units: 128, activation: 'relu', name: 'hidden1' }).apply(flat) as tl.SymbolicTensor;
const h2 = tl.layers.dense({ units: 64, activation: 'relu', name: 'features' }).apply(h1) as tl.SymbolicTensor;
const digit = tl.layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(h2) as tl.SymbolicTensor;
const model = tl.model({ inputs: image, outputs: digit, name: 'digits' });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(digits.xTrain, digits.yTrain, { epochs: Number(values.epochs), batchSize: 64, verbose });
const [, digitAccuracy] = model.evaluate(digits.xTest, digits.yTest, { verbose: 0 });
console.log(`MNIST: trained on ${digits.xTrain.shape[0]} images, test accuracy ${pct(digitAccuracy)}`);

// 2. Save in the TensorFlow.js Layers format and load it back.
const dir = join(values.out!, 'mnist-mlp');
await model.save(`file://${dir}`);
const loaded = await tl.loadModel(`file://${dir}/model.json`);
loaded.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const [, loadedAccuracy] = loaded.evaluate(digits.xTest, digits.yTest, { verbose: 0 });
console.log(`saved to ${dir}; the loaded model's MNIST test accuracy: ${pct(loadedAccuracy)}`);

// 3. Cut the loaded model at its 'features' layer: a model from the same input to that inner output, sharing
//    the loaded weights. Freeze its first hidden layer and put a new head for the ten Fashion-MNIST classes on it.
const extractor = tl.model({
  inputs: loaded.inputs,
  outputs: loaded.getLayer('features').output as tl.SymbolicTensor,
  name: 'extractor',
});
const hidden1 = loaded.getLayer('hidden1');
hidden1.trainable = false;
const garment = tl.layers
  .dense({ units: 10, activation: 'softmax', name: 'fashion_head' })
  .apply(extractor.outputs[0]) as tl.SymbolicTensor;
const transfer = tl.model({ inputs: extractor.inputs, outputs: garment, name: 'fashion' });
transfer.compile({
  optimizer: tl.optimizers.adam({ learningRate: 1e-3 }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});
transfer.summary();

// 4. Fine-tune on Fashion-MNIST: only the 'features' layer and the head learn; the loaded model shares them.
const fashion = tl.data.loadMnist(values.fashion!, { limit });
const frozenBefore = hidden1.getWeights()[0].dataSync().slice();
await transfer.fit(fashion.xTrain, fashion.yTrain, {
  epochs: Number(values['fine-tune-epochs']),
  batchSize: 64,
  verbose,
});
const [, fashionAccuracy] = transfer.evaluate(fashion.xTest, fashion.yTest, { verbose: 0 });
const frozenKept = hidden1
  .getWeights()[0]
  .dataSync()
  .every((v: number, i: number) => v === frozenBefore[i]);
console.log(
  `Fashion-MNIST after fine-tuning on ${fashion.xTrain.shape[0]} images: test accuracy ${pct(fashionAccuracy)}`,
);
console.log(`the frozen layer '${hidden1.name}' kept its MNIST weights: ${frozenKept}`);
