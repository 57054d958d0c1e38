// A small CNN on real MNIST (or Fashion-MNIST): Conv2D 32 3×3 relu → MaxPool → Conv2D 64 3×3 relu → MaxPool
// → Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax; adam, batch 64 (BENCH.md W4).
// Run: npx tsx examples/mnist-cnn.ts [--data ../shared/data/mnist] [--fashion] [--epochs 3] [--batch 64]
//        [--limit N] [--verbose 1]
//   --fashion alone reads ../shared/data/fashion-mnist; --fashion <dir> reads that folder instead of --data.
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const { values } = parseArgs({
  args: process.argv.slice(2).flatMap((a, i, all) => (a === '--fashion' && (i + 1 >= all.length || all[i + 1].startsWith('--')) ? ['--fashion', '../shared/data/fashion-mnist'] : [a])),
  options: {
    data: { type: 'string', default: '../shared/data/mnist' },
    fashion: { type: 'string' },
    epochs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '64' },
    limit: { type: 'string' },
    verbose: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});

tl.setSeed(Number(values.seed));
const dir = values.fashion ?? values.data!;
const limit = values.limit === undefined ? undefined : Number(values.limit);
const { xTrain, yTrain, xTest, yTest } = tl.data.loadMnist(dir, limit === undefined ? {} : { limit });
const images = (x: tl.Tensor) => x.reshape([x.shape[0], 28, 28, 1]);

const model = tl.sequential({
  layers: [
    tl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    tl.layers.maxPooling2d({ poolSize: 2 }),
    tl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    tl.layers.maxPooling2d({ poolSize: 2 }),
    tl.layers.flatten(),
    tl.layers.dense({ units: 128, activation: 'relu' }),
    tl.layers.dropout({ rate: 0.5 }),
    tl.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
if (values.verbose !== '0') model.summary();

const epochs = Number(values.epochs);
const epochSeconds: number[] = [];
let t = 0;
const timer: tl.Callback = {
  onEpochBegin: () => void (t = performance.now()),
  onEpochEnd: () => void epochSeconds.push((performance.now() - t) / 1000),
};
await model.fit(images(xTrain), yTrain, { epochs, batchSize: Number(values.batch), verbose: Number(values.verbose) as 0 | 1 | 2, callbacks: [timer] });
const [loss, accuracy] = model.evaluate(images(xTest), yTest, { verbose: 0 });
const perEpoch = epochSeconds.reduce((a, b) => a + b, 0) / Math.max(epochSeconds.length, 1);
console.log(`${values.fashion ? 'Fashion-MNIST' : 'MNIST'}: test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${xTest.shape[0]} images`);
console.log(`training: ${perEpoch.toFixed(1)} s/epoch over ${xTrain.shape[0]} images, ${Math.round(xTrain.shape[0] / perEpoch)} samples/s (backend ${tl.getBackend()}, ${tl.getNumThreads()} threads)`);
