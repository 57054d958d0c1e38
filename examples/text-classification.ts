// Text classification with embedding → LSTM on generated "reviews". Each review is 4–16 words from a
// small vocabulary: filler words, positive and negative words, and "not", which flips the polarity of
// the word right after it ("not good" is negative). The label is positive when the review's total
// polarity is > 0. Reviews are padded with 0 at the end to 16 tokens, and embedding({ maskZero: true })
// makes the LSTM skip the padding. Word order matters (negation), so a bag of words, which sees only
// counts, stays well below the LSTM; both are reported.
//
// Run: npx tsx examples/text-classification.ts [--epochs 12]
import { parseArgs } from 'node:util';
import * as tl from 'tensile';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '12' } } });
const epochs = Number(values.epochs);

const POSITIVE = ['good', 'great', 'fun', 'lovely', 'clever', 'moving'];
const NEGATIVE = ['bad', 'dull', 'boring', 'awful', 'silly', 'slow'];
const FILLER = ['the', 'film', 'was', 'plot', 'and', 'acting', 'very', 'quite', 'story', 'it'];
const VOCAB = ['<pad>', 'not', ...POSITIVE, ...NEGATIVE, ...FILLER];
const id = new Map(VOCAB.map((w, i) => [w, i]));
const MAX_LEN = 16;

tl.setSeed(3);
let state = 2024;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

function review(): { words: string[]; label: number } {
  for (;;) {
    const len = 4 + Math.floor(random() * (MAX_LEN - 3));
    const words: string[] = [];
    let polarity = 0;
    while (words.length < len) {
      const r = random();
      if (r < 0.5) words.push(pick(FILLER));
      else {
        const negated = random() < 0.35 && words.length < len - 1;
        const positive = random() < 0.5;
        if (negated) words.push('not');
        words.push(pick(positive ? POSITIVE : NEGATIVE));
        polarity += (positive ? 1 : -1) * (negated ? -1 : 1);
      }
    }
    if (polarity !== 0) return { words: words.slice(0, MAX_LEN), label: polarity > 0 ? 1 : 0 };
  }
}

function dataset(n: number) {
  const ids = new Float32Array(n * MAX_LEN);
  const bags = new Float32Array(n * VOCAB.length);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const { words, label } = review();
    words.forEach((w, t) => {
      ids[i * MAX_LEN + t] = id.get(w)!;
      bags[i * VOCAB.length + id.get(w)!] += 1;
    });
    labels[i] = label;
  }
  return { ids: tl.tensor(ids, [n, MAX_LEN]), bags: tl.tensor(bags, [n, VOCAB.length]), y: tl.tensor(labels, [n, 1]) };
}

const train = dataset(4000);
const test = dataset(1000);
console.log('example:', review().words.join(' '));

// Bag of words: word counts → a small MLP. It cannot tell "not good, bad" from "good, not bad".
const bow = tl.sequential();
bow.add(tl.layers.dense({ units: 32, activation: 'relu', inputShape: [VOCAB.length] }));
bow.add(tl.layers.dense({ units: 1, activation: 'sigmoid' }));
bow.compile({
  optimizer: tl.optimizers.adam({ learningRate: 0.01 }),
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
});
await bow.fit(train.bags, train.y, { epochs: 20, batchSize: 64, verbose: 0 });
const [, bowAcc] = bow.evaluate(test.bags, test.y, { verbose: 0 });

// Embedding → LSTM: reads the words in order and skips the padding.
const model = tl.sequential();
model.add(tl.layers.embedding({ inputDim: VOCAB.length, outputDim: 16, maskZero: true, inputLength: MAX_LEN }));
model.add(tl.layers.lstm({ units: 32 }));
model.add(tl.layers.dense({ units: 1, activation: 'sigmoid' }));
model.compile({
  optimizer: tl.optimizers.adam({ learningRate: 0.01 }),
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
});
const t0 = performance.now();
await model.fit(train.ids, train.y, { epochs, batchSize: 64, verbose: 2 });
const seconds = (performance.now() - t0) / 1000;
const [, lstmAcc] = model.evaluate(test.ids, test.y, { verbose: 0 });

console.log(`\ngenerated reviews with negation, test accuracy on 1,000 new reviews:`);
console.log(`  bag of words (dense)            ${(bowAcc * 100).toFixed(1)}%`);
console.log(
  `  embedding → LSTM(32), ${epochs} epochs  ${(lstmAcc * 100).toFixed(1)}%   (trained in ${seconds.toFixed(1)} s)`,
);
