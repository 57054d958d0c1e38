// A transformer encoder on MNIST: each image is a sequence of 28 rows of 28 pixels → Dense(64) + a learned
// position embedding → 2 encoder blocks (4-head self-attention + residual + LayerNormalization, feed-forward
// 128 relu → 64 + residual + LayerNormalization, dropout 0.1) → GlobalAveragePooling1D → Dense(10, softmax).
// Run: npm run build:ts && npx tsx examples/transformer-mnist.ts [--data ../shared/data/mnist] [--epochs N]
//        [--batch N] [--lr LR] [--decay D] [--limit N] [--save DIR] [--verbose 1]
// Measured (defaults: 6 epochs, batch 64, adam lr 1e-3 × 0.8 per epoch, TENSILE_NUM_THREADS=1, a shared 2-core
// machine): 98.18% test accuracy; 36–83 s per epoch as the machine's load varied (55 s mean).
import { parseArgs } from 'node:util';
import * as tl from 'tensile';
import { PositionEmbedding, transformerEncoder } from './position-embedding.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/mnist' },
    epochs: { type: 'string', default: '6' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '1e-3' },
    decay: { type: 'string', default: '0.8' },
    limit: { type: 'string' },
    save: { type: 'string' },
    verbose: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});
tl.setSeed(Number(values.seed));
const { xTrain, yTrain, xTest, yTest } = tl.data.loadMnist(
  values.data!,
  values.limit ? { limit: Number(values.limit) } : {},
);

const DIM = 64,
  HEADS = 4,
  FFN = 128,
  DROPOUT = 0.1;
const pixels = tl.input({ shape: [28, 28] });
let h = new PositionEmbedding({}).apply(tl.layers.dense({ units: DIM }).apply(pixels));
for (let b = 0; b < 2; b++) h = transformerEncoder(h, { heads: HEADS, dim: DIM, ffn: FFN, dropout: DROPOUT });
const probs = tl.layers.dense({ units: 10, activation: 'softmax' }).apply(tl.layers.globalAveragePooling1d().apply(h));
const model = tl.model({ inputs: pixels, outputs: probs });
const lr = Number(values.lr),
  decay = Number(values.decay);
model.compile({
  optimizer: tl.optimizers.adam({ learningRate: lr }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});
if (values.verbose !== '0') model.summary();

const epochSeconds: number[] = [];
let t = 0;
const timer: tl.Callback = {
  onEpochBegin: () => void (t = performance.now()),
  onEpochEnd: () => void epochSeconds.push((performance.now() - t) / 1000),
};
const schedule = tl.callbacks.learningRateScheduler((epoch) => lr * decay ** epoch);
await model.fit(xTrain, yTrain, {
  epochs: Number(values.epochs),
  batchSize: Number(values.batch),
  verbose: Number(values.verbose) as 0 | 1 | 2,
  callbacks: [timer, schedule],
});
const [loss, accuracy] = model.evaluate(xTest, yTest, { verbose: 0 }) as number[];
const perEpoch = epochSeconds.reduce((a, b) => a + b, 0) / Math.max(epochSeconds.length, 1);
console.log(
  `MNIST transformer: test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${xTest.shape[0]} images`,
);
console.log(
  `training: ${perEpoch.toFixed(1)} s/epoch over ${xTrain.shape[0]} images (${epochSeconds.map((s) => s.toFixed(0)).join(', ')} s; backend ${tl.getBackend()}, ${tl.getNumThreads()} threads)`,
);
if (values.save) {
  await model.save(`file://${values.save}`);
  const back = await tl.loadModel(`file://${values.save}/model.json`);
  const [, again] = back.evaluate(xTest, yTest, { verbose: 0 }) as number[];
  console.log(
    `saved to ${values.save} and loaded back (PositionEmbedding by class name): test accuracy ${(again * 100).toFixed(2)}%`,
  );
}
