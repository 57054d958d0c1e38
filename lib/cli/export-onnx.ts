// `tensile export-onnx model.json out.onnx [--opset N] [--check]`: parses the arguments; the work lives in lib/onnx.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadModel } from '../io/index.js';
import { checkExport } from '../onnx/check.js';
import { exportOnnx } from '../onnx/index.js';

export const EXPORT_ONNX_USAGE = `usage: tensile export-onnx <model.json> <out.onnx> [options]

Writes a saved model (TensorFlow.js Layers format) as an ONNX file for ONNX Runtime or Triton.

options:
  --opset N   ONNX opset, 13 to 17 (default 17)
  --check     run the file in onnxruntime-node on a seeded batch and print the largest difference from predict`;

export async function exportOnnxCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { opset: { type: 'string' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(EXPORT_ONNX_USAGE);
    return 0;
  }
  if (positionals.length !== 2) {
    console.error(
      `tensile export-onnx: expected a model.json and an output file, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}\n${EXPORT_ONNX_USAGE}`,
    );
    return 1;
  }
  const opset = values.opset === undefined ? 17 : Number(values.opset);
  const [source, target] = positionals;
  const model = await loadModel(`file://${resolve(source)}`);
  const started = performance.now();
  const info = await exportOnnx(model, target, { opset });
  const ms = performance.now() - started;
  const shape = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? 'batch').join(', ')}]`;
  console.log(`${target}: ${info.bytes} bytes, opset ${info.opset}, ${ms.toFixed(0)} ms`);
  for (const i of info.inputs) console.log(`  input  ${i.name} ${shape(i.shape)}`);
  for (const o of info.outputs) console.log(`  output ${o.name} ${shape(o.shape)}`);
  console.log(
    `  ops    ${Object.entries(info.ops)
      .map(([op, n]) => (n > 1 ? `${op} ×${n}` : op))
      .join(', ')}`,
  );
  if (!values.check) return 0;
  const c = await checkExport(model, info);
  const ok = c.maxDiff <= 1e-5 * Math.max(1, c.maxAbs);
  console.log(
    `check: ${c.runtime} on a seeded batch ${shape(c.inputShape)}: largest difference from predict ${c.maxDiff.toExponential(2)} (largest |output| ${c.maxAbs.toPrecision(3)}) ${ok ? 'ok' : 'TOO LARGE'}`,
  );
  return ok ? 0 : 2;
}
