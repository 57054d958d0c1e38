// A small CNN on real MNIST (or Fashion-MNIST): Conv2D 32 3×3 relu → MaxPool → Conv2D 64 3×3 relu → MaxPool
// → Flatten → Dense 128 relu → Dropout → Dense 10 softmax; adam (BENCH.md W4).
// Run: npx tsx examples/mnist-cnn.ts [--data ../shared/data/mnist] [--fashion] [--epochs N] [--batch N]
//        [--dropout R] [--lr LR] [--decay D] [--standardize] [--val F] [--limit N] [--verbose 1]
//   --fashion alone reads ../shared/data/fashion-mnist; --fashion <dir> reads that folder instead of --data.
//   Recipes (each flag overrides its default):
//     MNIST          3 epochs, batch 64, dropout 0.5, lr 1e-3 constant, pixels / 255 (BENCH.md W4)
//     Fashion-MNIST  8 epochs, batch 64, dropout 0.3, lr 1e-3 × 0.7 per epoch, pixels standardised: 91.20% test
//                    accuracy (the previous recipe gave 89.87% in 5 epochs). Chosen on --val 0.1: final validation
//                    accuracy 91.42%, against 91.30% for dropout 0.5 at a constant lr over the same 8 epochs.
//   --val F holds out the last fraction F of the training set (validationSplit) to choose a recipe without the test set.
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const RECIPES = {
  mnist: { epochs: 3, batch: 64, dropout: 0.5, lr: 1e-3, decay: 1, standardize: false },
  fashion: { epochs: 8, batch: 64, dropout: 0.3, lr: 1e-3, decay: 0.7, standardize: true },
};

const { values } = parseArgs({
  args: process.argv
    .slice(2)
    .flatMap((a, i, all) =>
      a === '--fashion' && (i + 1 >= all.length || all[i + 1].startsWith('--'))
        ? ['--fashion', '../shared/data/fashion-mnist']
        : [a],
    ),
  options: {
    data: { type: 'string', default: '../shared/data/mnist' },
    fashion: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    dropout: { type: 'string' },
    lr: { type: 'string' },
    decay: { type: 'string' },
    standardize: { type: 'boolean' },
    val: { type: 'string' },
    limit: { type: 'string' },
    verbose: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});

const base = values.fashion ? RECIPES.fashion : RECIPES.mnist;
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const recipe = {
  epochs: num(values.epochs, base.epochs),
  batch: num(values.batch, base.batch),
  dropout: num(values.dropout, base.dropout),
  lr: num(values.lr, base.lr),
  decay: num(values.decay, base.decay),
  standardize: values.standardize ?? base.standardize,
};

tl.setSeed(Number(values.seed));
const dir = values.fashion ?? values.data!;
const limit = values.limit === undefined ? undefined : Number(values.limit);
const { xTrain, yTrain, xTest, yTest } = tl.data.loadMnist(dir, limit === undefined ? {} : { limit });

// Standardise with the training set's pixel mean and deviation (one scalar each), applied to both sets.
let mean = 0,
  std = 1;
if (recipe.standardize) {
  const d = xTrain.data;
  mean = d.reduce((s, v) => s + v, 0) / d.length;
  std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
}
const images = (x: tl.Tensor) =>
  tl.tensor(
    x.data.map((v) => (v - mean) / std),
    [x.shape[0], 28, 28, 1],
  );

const model = tl.sequential({
  layers: [
    tl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    tl.layers.maxPooling2d({ poolSize: 2 }),
    tl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    tl.layers.maxPooling2d({ poolSize: 2 }),
    tl.layers.flatten(),
    tl.layers.dense({ units: 128, activation: 'relu' }),
    tl.layers.dropout({ rate: recipe.dropout }),
    tl.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({
  optimizer: tl.optimizers.adam({ learningRate: recipe.lr }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});
if (values.verbose !== '0') model.summary();
console.log(`recipe: ${JSON.stringify(recipe)}${values.val ? `, validationSplit ${values.val}` : ''}`);

const epochSeconds: number[] = [];
let t = 0;
const timer: tl.Callback = {
  onEpochBegin: () => void (t = performance.now()),
  onEpochEnd: () => void epochSeconds.push((performance.now() - t) / 1000),
};
// Epoch e (0-based) trains at lr · decay^e.
const schedule = tl.callbacks.learningRateScheduler((epoch) => recipe.lr * recipe.decay ** epoch);
const history = await model.fit(images(xTrain), yTrain, {
  epochs: recipe.epochs,
  batchSize: recipe.batch,
  verbose: Number(values.verbose) as 0 | 1 | 2,
  callbacks: [timer, schedule],
  ...(values.val ? { validationSplit: Number(values.val) } : {}),
});
const perEpoch = epochSeconds.reduce((a, b) => a + b, 0) / Math.max(epochSeconds.length, 1);
const name = values.fashion ? 'Fashion-MNIST' : 'MNIST';
if (values.val) {
  // Choosing a recipe: report the held-out part of the training set only.
  const acc = history.history.val_accuracy ?? [];
  console.log(`${name}: validation accuracy by epoch ${acc.map((a) => `${(Number(a) * 100).toFixed(2)}%`).join(', ')}`);
} else {
  const [loss, accuracy] = model.evaluate(images(xTest), yTest, { verbose: 0 });
  console.log(
    `${name}: test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${xTest.shape[0]} images`,
  );
}
console.log(
  `training: ${perEpoch.toFixed(1)} s/epoch over ${xTrain.shape[0]} images, ${Math.round(xTrain.shape[0] / perEpoch)} samples/s (backend ${tl.getBackend()}, ${tl.getNumThreads()} threads)`,
);
