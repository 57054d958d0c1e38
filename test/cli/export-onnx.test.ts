import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tensile-cli-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODELS = join(root, '..', 'shared', 'data', 'models');

describe('tensile export-onnx', () => {
  it('writes a saved model as ONNX and --check runs it in onnxruntime-node against predict', async () => {
    const out = join(dir, 'cnn.onnx');
    const r = await runCli([
      'export-onnx',
      join(MODELS, 'tfjs-mnist-cnn-dropout', 'model.json'),
      out,
      '--check',
      '--opset',
      '15',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(r.stdout).toMatch(/cnn\.onnx: \d+ bytes, opset 15, \d+ ms/);
    expect(r.stdout).toMatch(/input {2}conv2d\w*_input \[batch, 28, 28, 1\]/);
    expect(r.stdout).toMatch(/ops {4}Transpose ×2, Conv ×4, Relu ×5, MaxPool ×2, Flatten, MatMul ×2, Add ×2, Softmax/);
    const m = /largest difference from predict (\S+) .* ok$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1e-5);
  });

  it('names what is wrong with its arguments', async () => {
    const r = await runCli(['export-onnx', 'model.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/expected a model.json and an output file, got 1 argument/);
    const bad = await runCli([
      'export-onnx',
      join(MODELS, 'keras-mnist-dense', 'model.json'),
      join(dir, 'x.onnx'),
      '--opset',
      '9',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/exportOnnx: opset must be an integer from 13 to 17, got 9/);
  });
});
