// Export time of the W2 model (784-512-256-10, 535,818 weights) as ONNX, and the memory an export adds.
// npx tsx bench/onnx/export-w2.ts [--repeat 21]: median and range of the export time; the growth of the
// ArrayBuffer total across one export (weights are written from the model's arrays: expect ≈ 0, not 2.1 MB).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tl from '../../lib/index.js';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 21;
const dir = mkdtempSync(join(tmpdir(), 'tensile-onnx-bench-'));
tl.setSeed(1);
const model = tl.sequential({
  layers: [
    tl.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
    tl.layers.dense({ units: 256, activation: 'relu' }),
    tl.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
const file = join(dir, 'w2.onnx');
await tl.exportOnnx(model, file); // warm-up: module loading, first protobufjs encode
const times: number[] = [];
for (let i = 0; i < repeat; i++) {
  const t = performance.now();
  await tl.exportOnnx(model, file);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
// Memory: peak ArrayBuffer bytes sampled while one export runs (a copy of the weights would add 2.1 MB).
globalThis.gc?.();
const base = process.memoryUsage().arrayBuffers;
let peak = base;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 0);
const exporting = tl.exportOnnx(model, file);
peak = Math.max(peak, process.memoryUsage().arrayBuffers);
await exporting;
peak = Math.max(peak, process.memoryUsage().arrayBuffers);
clearInterval(sampler);
const weights = model.countParams() * 4;
console.log(
  `W2 (${model.countParams()} weights, ${(weights / 1e6).toFixed(2)} MB) -> ${statSync(file).size} bytes of ONNX`,
);
console.log(
  `export: median ${times[repeat >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)}, max ${times[repeat - 1].toFixed(1)} (${repeat} runs)`,
);
console.log(
  `ArrayBuffer growth during one export: ${((peak - base) / 1e6).toFixed(3)} MB (weights ${(weights / 1e6).toFixed(2)} MB)`,
);
rmSync(dir, { recursive: true, force: true });
