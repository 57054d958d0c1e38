import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { DATA } from '../io/fixtures.js';
import { onnxCheckerAvailable, onnxCheckerErrors, roundTrip, sampleInput, tempDir } from '../helpers/onnx.js';

// Real trained models (Keras 2.6 and tfjs-layers 4.17 files) exported and run on MNIST test images, and the
// lower opsets the exporter accepts.

const dir = tempDir();
const files: string[] = [];
let images: tl.Tensor | undefined;
const mnist = () => (images ??= tl.data.loadMnist(join(DATA, 'mnist'), { limit: 64 }).xTest.reshape([64, 28, 28, 1]));

describe('ONNX export of real model files', () => {
  it.each(['keras-mnist-dense', 'keras-mnist-cnn', 'tfjs-mnist-cnn-dropout'])(
    '%s: onnxruntime equals predict on 64 MNIST test images',
    async (folder) => {
      const model = await tl.loadModel(`file://${join(DATA, 'models', folder, 'model.json')}`);
      const r = await roundTrip(model, mnist(), dir, folder);
      files.push(r.info.path);
      expect(r.info.inputs[0].shape).toEqual([null, 28, 28, 1]);
      expect(r.maxDiff).toBeLessThanOrEqual(1e-5 * r.scale);
      // A conv stack keeps one Transpose in (NHWC → NCHW) and one before Flatten (Keras flattens NHWC).
      if (folder !== 'keras-mnist-dense') expect(r.info.ops.Transpose).toBe(2);
    },
  );

  it.each([13, 15, 17])('opset %i: a conv, batch-norm and GRU model runs the same', async (opset) => {
    const model = tl.sequential({
      layers: [
        tl.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'same', inputShape: [6, 2] }),
        tl.layers.batchNormalization(),
        tl.layers.gru({ units: 2, returnSequences: true }),
        tl.layers.globalAveragePooling1d(),
      ],
    });
    const r = await roundTrip(model, sampleInput([2, 6, 2], opset), dir, `opset-${opset}`, opset);
    files.push(r.info.path);
    expect(r.info.opset).toBe(opset);
    expect(r.maxDiff).toBeLessThanOrEqual(1e-5 * r.scale);
  });

  it.skipIf(!onnxCheckerAvailable)('every exported file passes the ONNX checker (full_check)', () => {
    expect(files.length).toBe(6);
    expect(onnxCheckerErrors(files)).toEqual([]);
  });
});
