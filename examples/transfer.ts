// Transfer learning: train an MLP on MNIST digits, save it, load it back, freeze its first hidden
// layer, put a new head on it and fine-tune on Fashion-MNIST.
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

// 1. A 784-128-64-10 MLP on MNIST digits.
const digits = tl.data.loadMnist(values.data!, { limit });
const model = tl.sequential({
  layers: [
    tl.layers.flatten({ inputShape: [28, 28] }),
    tl.layers.dense({ units: 128, activation: 'relu' }),
    tl.layers.dense({ units: 64, activation: 'relu' }),
    tl.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
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

// 3. Keep the loaded flatten and hidden layers, freeze the first hidden layer, and put a new head on
//    top for the ten Fashion-MNIST classes.
const [flatten, hidden1, hidden2] = loaded.layers;
hidden1.trainable = false;
const transfer = tl.sequential({ layers: [flatten, hidden1, hidden2, tl.layers.dense({ units: 10, activation: 'softmax', name: 'fashion_head' })] });
transfer.compile({ optimizer: tl.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
transfer.summary();

// 4. Fine-tune on Fashion-MNIST: only the second hidden layer and the head learn.
const fashion = tl.data.loadMnist(values.fashion!, { limit });
const frozenBefore = hidden1.getWeights()[0].dataSync().slice();
await transfer.fit(fashion.xTrain, fashion.yTrain, { epochs: Number(values['fine-tune-epochs']), batchSize: 64, verbose });
const [, fashionAccuracy] = transfer.evaluate(fashion.xTest, fashion.yTest, { verbose: 0 });
const frozenKept = hidden1.getWeights()[0].dataSync().every((v: number, i: number) => v === frozenBefore[i]);
console.log(`Fashion-MNIST after fine-tuning on ${fashion.xTrain.shape[0]} images: test accuracy ${pct(fashionAccuracy)}`);
console.log(`the frozen layer '${hidden1.name}' kept its MNIST weights: ${frozenKept}`);
