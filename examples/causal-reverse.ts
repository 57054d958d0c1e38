// Causal self-attention learns to reverse a sequence, which a bag-of-words model cannot. Each sample is
// s = [x1 … x6, SEP, x6 … x1] of digits 1–8; a decoder (token + learned position embedding, 2 causal blocks)
// predicts every next token of s; the tokens after SEP are the reversal and are fully determined by what came
// before. The bag-of-words baseline sees the same 6 digits as an unordered bag (mean of embeddings) and predicts
// the 6 reversed digits from it.
// Run: npm run build:ts && npx tsx examples/causal-reverse.ts [--epochs N] [--samples N]
// Measured (60 epochs on 3000, 1 thread): decoder 100.0% of tokens and of whole sequences in 79 s; bag of words 32.8%
// of tokens, 0.1% of sequences (it knows which digits, not their order).
import { parseArgs } from 'node:util';
import * as tl from 'tensile';
import { PositionEmbedding, transformerEncoder } from './position-embedding.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '60' },
    samples: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '1' },
  },
});
tl.setSeed(Number(values.seed));
const N = 6,
  SEP = 9,
  V = 10,
  T = 2 * N;

/** [inputs [n, T], next tokens [n, T], the digits [n, N]] of n random sequences. */
function data(n: number, seed: number) {
  let state = seed;
  const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const x = new Float32Array(n * T),
    y = new Float32Array(n * T),
    digits = new Float32Array(n * N);
  for (let i = 0; i < n; i++) {
    const d = Array.from({ length: N }, () => 1 + Math.floor(rand() * 8));
    const s = [...d, SEP, ...[...d].reverse()];
    x.set(s.slice(0, T), i * T);
    y.set(s.slice(1, T + 1), i * T);
    digits.set(d, i * N);
  }
  return { x: tl.tensor(x, [n, T]), y: tl.tensor(y, [n, T]), digits: tl.tensor(digits, [n, N]) };
}
const train = data(Number(values.samples), 7),
  test = data(1000, 99);

/** Fraction of the N reversed tokens (and of whole sequences) predicted right, from probabilities [n, N, V]. */
function reversalAccuracy(probs: tl.Tensor, digits: tl.Tensor): { tokens: number; sequences: number } {
  const p = tl.argmax(probs, -1).dataSync(),
    d = digits.dataSync();
  const n = digits.shape[0];
  let tokens = 0,
    sequences = 0;
  for (let i = 0; i < n; i++) {
    let all = true;
    for (let k = 0; k < N; k++) {
      const ok = p[i * N + k] === d[i * N + N - 1 - k];
      tokens += +ok;
      all &&= ok;
    }
    sequences += +all;
  }
  return { tokens: tokens / (n * N), sequences: sequences / n };
}

// The causal decoder.
const ids = tl.input({ shape: [T] });
let h = new PositionEmbedding({}).apply(tl.layers.embedding({ inputDim: V, outputDim: 32 }).apply(ids));
for (let b = 0; b < 2; b++) h = transformerEncoder(h, { heads: 4, dim: 32, ffn: 64, dropout: 0, causal: true });
const decoder = tl.model({ inputs: ids, outputs: tl.layers.dense({ units: V, activation: 'softmax' }).apply(h) });
decoder.compile({ optimizer: tl.optimizers.adam({ learningRate: 3e-3 }), loss: 'sparseCategoricalCrossentropy' });
let t0 = performance.now();
await decoder.fit(train.x, train.y, { epochs: Number(values.epochs), batchSize: 64, verbose: 0 });
const decoderSeconds = (performance.now() - t0) / 1000;
// Positions N … T−1 (inputs SEP, x6 … x2) predict x6 … x1.
const after = tl.slice(decoder.predict(test.x) as tl.Tensor, [0, N, 0], [1000, N, V]);
const ours = reversalAccuracy(after, test.digits);

// The bag-of-words baseline: the same digits, order thrown away by the mean of their embeddings.
const bag = tl.sequential({
  layers: [
    tl.layers.embedding({ inputDim: V, outputDim: 32, inputShape: [N] }),
    tl.layers.globalAveragePooling1d(),
    tl.layers.dense({ units: 128, activation: 'relu' }),
    tl.layers.dense({ units: N * V }),
    tl.layers.reshape({ targetShape: [N, V] }),
    tl.layers.softmax(),
  ],
});
bag.compile({ optimizer: tl.optimizers.adam({ learningRate: 3e-3 }), loss: 'sparseCategoricalCrossentropy' });
const reversed = (d: tl.Tensor) =>
  tl.tensor(
    Array.from(d.dataSync()).map((_, i, a) => a[Math.floor(i / N) * N + N - 1 - (i % N)]),
    d.shape,
  );
t0 = performance.now();
await bag.fit(train.digits, reversed(train.digits), { epochs: Number(values.epochs), batchSize: 64, verbose: 0 });
const theirs = reversalAccuracy(bag.predict(test.digits), test.digits);

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
console.log(`reverse 6 digits, 1000 test sequences, ${values.epochs} epochs on ${values.samples}:`);
console.log(
  `  causal attention decoder: ${pct(ours.tokens)} of tokens, ${pct(ours.sequences)} of whole sequences (${decoderSeconds.toFixed(0)} s)`,
);
console.log(`  bag of words:             ${pct(theirs.tokens)} of tokens, ${pct(theirs.sequences)} of whole sequences`);
