// Train an MNIST MLP, export it as ONNX, serve it with ONNX Runtime, and lay out a Triton model repository.
// Run: npx tsx examples/serve-onnx.ts [--data ../shared/data/mnist] [--out /tmp/tensile-triton] [--epochs 2]
//   The model is checked against tensile's predict on the 10,000 test images; then
//   tritonserver --model-repository <out> serves it as model 'mnist' (HTTP :8000, gRPC :8001).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import * as tl from 'tensile';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/mnist' },
    out: { type: 'string', default: '/tmp/tensile-triton' },
    epochs: { type: 'string', default: '2' },
  },
});

tl.setSeed(42);
const { xTrain, yTrain, xTest, yTest } = tl.data.loadMnist(values.data!);
const model = tl.sequential({
  layers: [
    tl.layers.flatten({ inputShape: [28, 28] }),
    tl.layers.dense({ units: 128, activation: 'relu' }),
    tl.layers.dropout({ rate: 0.2 }), // removed in the ONNX graph: inference is the identity
    tl.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(xTrain, yTrain, { epochs: Number(values.epochs), batchSize: 64, verbose: 0 });

// 1. Export: a Triton model repository is <repo>/<model name>/config.pbtxt and <repo>/<model name>/<version>/model.onnx.
const dir = join(values.out!, 'mnist');
mkdirSync(join(dir, '1'), { recursive: true });
const info = await tl.exportOnnx(model, join(dir, '1', 'model.onnx'), { opset: 17 });
const [input, output] = [info.inputs[0], info.outputs[0]];
const show = (shape: readonly (number | null)[]) => `[${shape.map((d) => d ?? 'batch').join(', ')}]`;
console.log(
  `exported ${info.bytes} bytes: ${input.name} ${show(input.shape)} -> ${output.name} ${show(output.shape)} (${Object.keys(info.ops).join(', ')})`,
);

// With max_batch_size > 0, Triton's dims leave out the batch axis (null in info.inputs/outputs).
const dims = (shape: readonly (number | null)[]) => shape.slice(1).join(', ');
writeFileSync(
  join(dir, 'config.pbtxt'),
  `name: "mnist"
platform: "onnxruntime_onnx"
max_batch_size: 256
input [ { name: "${input.name}", data_type: TYPE_FP32, dims: [ ${dims(input.shape)} ] } ]
output [ { name: "${output.name}", data_type: TYPE_FP32, dims: [ ${dims(output.shape)} ] } ]
dynamic_batching { }
`,
);

// 2. Serve in-process with ONNX Runtime, as Triton's onnxruntime backend would, and compare with predict.
const session = await ort.InferenceSession.create(join(dir, '1', 'model.onnx'));
const result = await session.run({
  [input.name]: new ort.Tensor('float32', Float32Array.from(xTest.dataSync()), [...xTest.shape]),
});
const probs = result[output.name].data as Float32Array;
const expected = model.predict(xTest, { batchSize: 1000 }).dataSync();
let maxDiff = 0,
  correct = 0;
const labels = yTest.dataSync();
for (let i = 0; i < labels.length; i++) {
  let best = 0;
  for (let c = 0; c < 10; c++) {
    maxDiff = Math.max(maxDiff, Math.abs(probs[i * 10 + c] - expected[i * 10 + c]));
    if (probs[i * 10 + c] > probs[i * 10 + best]) best = c;
  }
  if (best === labels[i]) correct++;
}
console.log(
  `onnxruntime on ${labels.length} test images: accuracy ${((100 * correct) / labels.length).toFixed(2)}%, largest difference from predict ${maxDiff.toExponential(2)}`,
);
console.log(`Triton model repository: ${values.out}\n  tritonserver --model-repository ${values.out}`);
await session.release();
