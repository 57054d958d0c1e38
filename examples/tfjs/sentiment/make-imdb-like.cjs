// A small local substitute for the IMDB files that sentiment/data.js downloads (imdb_tfjs_data.zip), in the same
// format: imdb_{train,test}_data.bin are int32 little-endian word indices, each review starting with 1 (the start
// index), words from 3 up (2 is out-of-vocabulary, 0 padding); imdb_{train,test}_targets.bin one uint8 label (0/1)
// per review. The reviews are synthetic: words drawn from a Zipf-like distribution over the vocabulary, plus, with
// some probability per word, a word from a "positive" or a "negative" set that follows the label; so the labels
// can be learned, but not from any single word.
// usage: node make-imdb-like.cjs <dir> [numTrain=5000] [numTest=2000] [seed=1]
const fs = require('fs');
const path = require('path');

const [dir, nTrain = '5000', nTest = '2000', seedArg = '1'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node make-imdb-like.cjs <dir> [numTrain] [numTest] [seed]');
let s = Number(seedArg) >>> 0;
const rand = () => {
  // mulberry32
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const VOCAB = 12000; // a little beyond numWords = 10000, so that some words become OOV as in the real files
const zipf = () => 3 + Math.min(VOCAB - 4, Math.floor(Math.exp(rand() * Math.log(VOCAB)) - 1));
const POS = Array.from({ length: 40 }, (_, i) => 200 + 7 * i);
const NEG = Array.from({ length: 40 }, (_, i) => 203 + 7 * i);

function write(prefix, n) {
  const words = [];
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const label = rand() < 0.5 ? 1 : 0;
    labels[r] = label;
    const len = 20 + Math.floor(rand() * 180);
    words.push(1);
    for (let w = 0; w < len; w++) {
      if (rand() < 0.06) {
        // a sentiment word: agrees with the label 75% of the time
        const set = (rand() < 0.75) === (label === 1) ? POS : NEG;
        words.push(set[Math.floor(rand() * set.length)]);
      } else words.push(zipf());
    }
  }
  const buf = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => buf.writeInt32LE(w, i * 4));
  fs.writeFileSync(path.join(dir, `imdb_${prefix}_data.bin`), buf);
  fs.writeFileSync(path.join(dir, `imdb_${prefix}_targets.bin`), labels);
}
fs.mkdirSync(dir, { recursive: true });
write('train', Number(nTrain));
write('test', Number(nTest));
console.log(`wrote ${nTrain} train and ${nTest} test reviews to ${dir}`);
