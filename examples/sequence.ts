// The adding problem (Hochreiter & Schmidhuber 1997): each sample is a sequence of 50 steps of
// [value, marker]; values are uniform in [0, 1), exactly two steps are marked (one in each half),
// and the target is the sum of the two marked values. Solving it needs memory across tens of steps:
// a model that sees no more than the last step can do no better than predicting the mean sum,
// MSE = Var(u1 + u2) = 2/12 ≈ 0.167. An LSTM gets far below that.
//
// Run: npx tsx examples/sequence.ts [--epochs 30] [--samples 4000] [--steps 50]
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '30' },
    samples: { type: 'string', default: '4000' },
    steps: { type: 'string', default: '50' },
  },
});
const epochs = Number(values.epochs),
  n = Number(values.samples),
  T = Number(values.steps);

tl.setSeed(7);
// A small seeded generator for the data (mulberry32), so that every run sees the same sequences.
let state = 12345;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
function addingProblem(count: number): { x: tl.Tensor; y: tl.Tensor } {
  const x = new Float32Array(count * T * 2);
  const y = new Float32Array(count);
  const half = Math.floor(T / 2);
  for (let i = 0; i < count; i++) {
    const a = Math.floor(random() * half);
    const b = half + Math.floor(random() * (T - half));
    for (let t = 0; t < T; t++) {
      const v = random();
      x[(i * T + t) * 2] = v;
      if (t === a || t === b) {
        x[(i * T + t) * 2 + 1] = 1;
        y[i] += v;
      }
    }
  }
  return { x: tl.tensor(x, [count, T, 2]), y: tl.tensor(y, [count, 1]) };
}

const train = addingProblem(n);
const test = addingProblem(1000);

// Baseline 1: predict the training mean of the target.
const mean = train.y.mean().item();
const meanMse = test.y.sub(mean).square().mean().item();

// Baseline 2: a model that sees only the last step (a Dense network on [value, marker] of step T).
const lastStep = (x: tl.Tensor) => tl.reshape(tl.slice(x, [0, T - 1, 0], [x.shape[0], 1, 2]), [x.shape[0], 2]);
const dense = tl.sequential();
dense.add(tl.layers.dense({ units: 32, activation: 'relu', inputShape: [2] }));
dense.add(tl.layers.dense({ units: 1 }));
dense.compile({ optimizer: tl.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
await dense.fit(lastStep(train.x), train.y, { epochs: 10, batchSize: 64, verbose: 0 });
const [denseMse] = dense.evaluate(lastStep(test.x), test.y, { verbose: 0 });

// The LSTM.
const model = tl.sequential();
model.add(tl.layers.lstm({ units: 32, inputShape: [T, 2] }));
model.add(tl.layers.dense({ units: 1 }));
model.compile({ optimizer: tl.optimizers.adam({ learningRate: 0.005 }), loss: 'meanSquaredError' });
const t0 = performance.now();
await model.fit(train.x, train.y, { epochs, batchSize: 64, verbose: 2 });
const seconds = (performance.now() - t0) / 1000;
const [lstmMse] = model.evaluate(test.x, test.y, { verbose: 0 });

console.log(`\nadding problem, ${T} steps, ${n} training sequences, test MSE on 1,000 new sequences:`);
console.log(`  predict the mean          ${meanMse.toFixed(4)}`);
console.log(`  dense on the last step    ${denseMse.toFixed(4)}`);
console.log(`  LSTM(32), ${epochs} epochs      ${lstmMse.toFixed(4)}   (trained in ${seconds.toFixed(1)} s)`);
