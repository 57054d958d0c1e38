// A 784-128-10 MLP on real MNIST: adam, batch 128, 5 epochs.
// Run: npx tsx examples/mnist-mlp.ts [--data ../shared/data/mnist] [--epochs 5] [--verbose 1]
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/mnist' },
    epochs: { type: 'string', default: '5' },
    verbose: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});

tl.setSeed(Number(values.seed));
const { xTrain, yTrain, xTest, yTest } = tl.data.loadMnist(values.data!);
const flat = (x: tl.Tensor) => x.reshape([x.shape[0], 784]);

const model = tl.sequential();
model.add(tl.layers.dense({ units: 128, inputShape: [784], activation: 'relu' }));
model.add(tl.layers.dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
model.summary();

const epochs = Number(values.epochs);
const t0 = performance.now();
await model.fit(flat(xTrain), yTrain, { epochs, batchSize: 128, verbose: Number(values.verbose) as 0 | 1 | 2 });
const seconds = (performance.now() - t0) / 1000;
const [loss, accuracy] = model.evaluate(flat(xTest), yTest, { verbose: 0 });
console.log(`test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}%`);
console.log(
  `training: ${seconds.toFixed(1)} s, ${Math.round((epochs * xTrain.shape[0]) / seconds)} samples/s (backend ${tl.getBackend()})`,
);
