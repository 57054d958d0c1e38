// The CUDA checks for a machine with a GPU, without vitest: every device kernel of the cuda backend
// against the native CPU backend (values and gradients, random shapes with edge cases), a short fit,
// then GEMM at n = 8192 (fp32 and TF32) timed on the device. Run by scripts/gpu-check.sh; prints one
// line per check and exits non-zero on any mismatch. Needs dist/ (npm run build:ts) and TENSILE_ADDON_PATH.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const tl = require('../dist/index.cjs');

const why = tl.cudaUnavailableReason?.() ?? '';
if (why) {
  console.log(`cuda backend unavailable: ${why}`);
  process.exit(2);
}

let failures = 0,
  checks = 0;
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const values = (n, special = false) =>
  Float32Array.from({ length: n }, (_, i) =>
    special && i % 7 === 3 ? [NaN, Infinity, -Infinity, 0, -0, 1e30][i % 6] : 3 * rand(),
  );
const T = (shape, special = false, requiresGrad = false) =>
  tl.tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      special,
    ),
    shape,
    { requiresGrad },
  );

function close(a, b, rtol, atol) {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i],
      y = b[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.max(Math.abs(x), Math.abs(y))))
      return `element ${i}: cuda ${x}, cpu ${y}`;
  }
  return '';
}

/** fn(inputs) on cuda and on native; the output and, when fn's result requires grad, each input's gradient. */
function check(name, makeInputs, fn, { rtol = 1e-4, atol = 1e-5 } = {}) {
  checks++;
  const run = (backend) => {
    tl.setBackend(backend);
    const inputs = makeInputs();
    const y = fn(...inputs);
    const out = [y.dataSync()];
    if (y.requiresGrad) {
      y.mul(tl.tensor(values(y.size), y.shape))
        .sum()
        .backward();
      for (const x of inputs) if (x.requiresGrad) out.push(x.grad.dataSync());
    }
    return out;
  };
  const s0 = seed;
  let problem = '';
  try {
    const g = run('cuda');
    seed = s0;
    const c = run('native');
    for (let i = 0; i < c.length && !problem; i++) {
      const p = close(g[i], c[i], rtol, atol);
      if (p) problem = `${i === 0 ? 'output' : `gradient ${i - 1}`}: ${p}`;
    }
  } catch (e) {
    problem = `threw ${e.message}`;
  }
  if (problem) failures++;
  console.log(`${problem ? 'FAIL' : 'ok  '} ${name}${problem ? `: ${problem}` : ''}`);
}

const g = (shape) => () => [T(shape, false, true)];
for (const [a, b] of [
  [
    [1, 1],
    [1, 1],
  ],
  [
    [3, 5],
    [5, 7],
  ],
  [
    [64, 300],
    [300, 33],
  ],
  [
    [4, 16, 8],
    [8, 5],
  ],
  [
    [0, 4],
    [4, 3],
  ],
])
  check(
    `matmul ${JSON.stringify(a)}·${JSON.stringify(b)}`,
    () => [T(a, false, true), T(b, false, true)],
    (x, y) => tl.matmul(x, y),
  );
check(
  'matmul transposeA/B',
  () => [T([6, 4], false, true), T([5, 6], false, true)],
  (x, y) => tl.matmul(x, y, { transposeA: true, transposeB: true }),
);
for (const op of ['neg', 'exp', 'log', 'sqrt', 'abs', 'square', 'relu', 'sigmoid', 'tanh'])
  check(
    `${op} (NaN, ±Inf, ±0 mixed in)`,
    () => [T([1000], true)],
    (x) => tl[op](x),
  );
for (const op of [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
])
  check(
    `${op} broadcast [4,1,3]×[5,1]`,
    () => [T([4, 1, 3], true), T([5, 1], true)],
    (x, y) => tl[op](x, y),
  );
check(
  'add gradient with broadcasting',
  () => [T([4, 1, 3], false, true), T([5, 1], false, true)],
  (x, y) => tl.add(x, y),
);
for (const axis of [0, 1, 2, [0, 2], undefined]) {
  check(`sum axis ${JSON.stringify(axis)}`, g([7, 9, 130]), (x) => tl.sum(x, axis));
  check(
    `max axis ${JSON.stringify(axis)} (NaN inside)`,
    () => [T([7, 9, 130], true)],
    (x) => tl.max(x, axis),
  );
}
check(
  'argmax -1',
  () => [T([33, 257], true)],
  (x) => tl.argmax(x, -1),
);
check('softmax', g([33, 1000]), (x) => tl.softmax(x));
check('logSoftmax', g([33, 10]), (x) => tl.logSoftmax(x));
check('transpose [2,0,1]', g([3, 4, 5]), (x) => tl.transpose(x, [2, 0, 1]));
check('slice', g([6, 7, 8]), (x) => tl.slice(x, [1, 2, 3], [4, 3, 2]));
check(
  'concat',
  () => [T([2, 3], false, true), T([2, 4], false, true)],
  (x, y) => tl.concat([x, y], 1),
);
check(
  'where',
  () => [T([50]).greater(tl.tensor(0)), T([50], false, true), T([50], false, true)],
  (c, x, y) => tl.where(c, x, y),
);
for (const [x, k, o] of [
  [[2, 9, 9, 3], [3, 3, 3, 8], { padding: 'valid' }],
  [[2, 9, 9, 3], [3, 3, 3, 8], { padding: 'same', strides: 2 }],
  [[1, 12, 10, 4], [2, 2, 4, 5], { padding: 'same' }],
  [[2, 11, 11, 2], [3, 3, 2, 4], { dilationRate: 2, padding: 'same', activation: 'relu' }],
  [[3, 5, 5, 6], [1, 1, 6, 7], {}],
])
  check(
    `conv2d x${JSON.stringify(x)} k${JSON.stringify(k)} ${JSON.stringify(o)}`,
    () => [T(x, false, true), T(k, false, true), T([k[3]], false, true)],
    (a, b, c) => tl.conv2d(a, b, c, o),
    { rtol: 1e-3, atol: 1e-4 },
  );
for (const [shape, o] of [
  [[2, 8, 8, 3], {}],
  [[2, 9, 9, 3], { poolSize: 3, strides: 2, padding: 'same' }],
  [[1, 5, 7, 2], { poolSize: [2, 3], strides: 1 }],
]) {
  check(`maxPool2d ${JSON.stringify(shape)} ${JSON.stringify(o)}`, g(shape), (x) => tl.maxPool2d(x, o));
  check(`avgPool2d ${JSON.stringify(shape)} ${JSON.stringify(o)}`, g(shape), (x) => tl.avgPool2d(x, o));
}

// Short fits: the cuda model's weights after 20 steps against the native model's, for each optimizer, with the
// crossentropy on probabilities (sigmoid output) and on logits (softmax output).
async function fitCheck(optimizer, lastActivation) {
  checks++;
  const train = async (backend) => {
    tl.setBackend(backend);
    tl.setSeed(5);
    const m = tl.sequential();
    m.add(tl.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 1] }));
    m.add(tl.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tl.layers.flatten());
    m.add(tl.layers.dense({ units: 16, activation: 'relu' }));
    m.add(tl.layers.dense({ units: 3, activation: lastActivation }));
    m.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    seed = 77;
    const x = T([80, 12, 12, 1]);
    const y = tl.utils.toCategorical(
      Array.from({ length: 80 }, (_, i) => i % 3),
      3,
    );
    const h = await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    return [...m.getWeights().map((w) => w.dataSync()), Float32Array.from(h.history.loss)];
  };
  const a = await train('cuda');
  const b = await train('native');
  const problem = a.map((w, i) => close(w, b[i], 2e-3, 2e-4)).find((p) => p) ?? '';
  if (problem) failures++;
  console.log(
    `${problem ? 'FAIL' : 'ok  '} fit (conv, pool, dense, ${optimizer}, ${lastActivation} + crossentropy: 20 steps) on cuda = native${problem ? `: ${problem}` : ''}`,
  );
}
for (const opt of ['adam', 'sgd', 'rmsprop', 'adagrad']) await fitCheck(opt, 'softmax');
await fitCheck('adam', 'sigmoid');

// GEMM at n = 8192 on resident tensors, fp32 then TF32: median of 5 after a warm-up.
for (const tf32 of [false, true]) {
  tl.setBackend('cuda', { tf32 });
  const n = 8192;
  const a = tl.rand([n, n]),
    b = tl.rand([n, n]);
  const times = [];
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    const c = tl.matmul(a, b);
    tl.synchronize();
    times.push(performance.now() - t0);
    c.dispose();
  }
  const ms = times.slice(1).sort((x, y) => x - y)[2];
  console.log(
    `gemm n=8192 ${tf32 ? 'tf32' : 'fp32'} (tl.matmul, resident inputs): ${ms.toFixed(2)} ms = ${((2 * n ** 3) / (ms * 1e9)).toFixed(1)} TFLOP/s`,
  );
}
tl.setBackend('native');
console.log(`${checks - failures}/${checks} checks passed`);
process.exit(failures ? 1 : 0);
