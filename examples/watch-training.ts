// MNIST with TensorBoard logs, a CSV log and plateau learning-rate steps, then the curves as an SVG.
// Run: npx tsx examples/watch-training.ts [--data ../shared/data/mnist] [--logdir logs/mnist] [--epochs 15]
// then: tensorboard --logdir logs/mnist   or   npx tensile plot logs/mnist -o curves.svg
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/mnist' },
    logdir: { type: 'string', default: 'logs/mnist' },
    epochs: { type: 'string', default: '15' },
    limit: { type: 'string', default: '12000' },
    svg: { type: 'string', default: 'curves.svg' },
  },
});

tl.setSeed(1);
const { xTrain, yTrain, xTest, yTest } = tl.data.loadMnist(values.data!, { limit: Number(values.limit) });
const flat = (x: tl.Tensor) => x.reshape([x.shape[0], 784]);

const model = tl.sequential();
model.add(tl.layers.dense({ units: 128, inputShape: [784], activation: 'relu' }));
model.add(tl.layers.dropout({ rate: 0.2 }));
model.add(tl.layers.dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const history = await model.fit(flat(xTrain), yTrain, {
  epochs: Number(values.epochs),
  batchSize: 128,
  validationData: [flat(xTest), yTest],
  verbose: 2,
  callbacks: [
    tl.callbacks.tensorBoard(values.logdir!, { histogramFreq: 5 }),
    tl.callbacks.csvLogger(`${values.logdir}.csv`),
    tl.callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, verbose: 1 }),
  ],
});
writeFileSync(
  values.svg!,
  tl.plot.historySvg(history, { title: `MNIST 784-128-10 MLP, ${xTrain.shape[0]} training images` }),
);
console.log(`wrote ${values.svg}; TensorBoard logs in ${values.logdir}`);
