import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { Layer } from '../../lib/layers/layer.js';
import { tempDir } from '../helpers/onnx.js';

// What cannot be exported is a TensileError naming the layer (or the argument) and why; nothing is mutated.

const dir = tempDir();
const { layers } = tl;
const file = (name: string) => join(dir, `${name}.onnx`);

describe('exportOnnx refuses what it cannot write', () => {
  it('a recurrent layer reading an Embedding mask (maskZero)', async () => {
    const model = tl.sequential({
      layers: [
        layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 4, name: 'tokens' }),
        layers.dropout({ rate: 0.1 }),
        layers.lstm({ units: 2, name: 'reader' }),
      ],
    });
    await expect(tl.exportOnnx(model, file('masked'))).rejects.toThrow(
      /exportOnnx: layer 'reader' \(LSTM\) reads the mask of 'tokens' \(Embedding with maskZero\)/,
    );
    expect(existsSync(file('masked'))).toBe(false);
  });

  it('an Embedding with maskZero whose mask nobody reads exports', async () => {
    const model = tl.sequential({
      layers: [layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputLength: 4 }), layers.flatten()],
    });
    await expect(tl.exportOnnx(model, file('unread-mask'))).resolves.toMatchObject({
      ops: { Cast: 1, Gather: 1, Flatten: 1 },
    });
  });

  it('a layer class without a mapping (a user layer), naming the layer and what is exportable', async () => {
    class Doubler extends Layer {
      static override readonly className = 'Doubler';
      call(x: tl.Tensor): tl.Tensor {
        return tl.mul(x, tl.tensor(2));
      }
    }
    const model = tl.sequential({
      layers: [layers.dense({ units: 2, inputShape: [3] }), new Doubler({ name: 'twice' })],
    });
    await expect(tl.exportOnnx(model, file('custom'))).rejects.toThrow(
      /layer 'twice' \(Doubler\) cannot be exported to ONNX: .*exportable layers: Dense, Activation/,
    );
  });

  it('a model that is not built, bad options and arguments', async () => {
    const unbuilt = tl.sequential({ layers: [layers.dense({ units: 2 })] });
    await expect(tl.exportOnnx(unbuilt, file('unbuilt'))).rejects.toThrow(/exportOnnx: model '.*' is not built/);
    const model = tl.sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    await expect(tl.exportOnnx(model, file('o'), { opset: 18 })).rejects.toThrow(
      /exportOnnx: opset must be an integer from 13 to 17, got 18/,
    );
    await expect(tl.exportOnnx(model, file('o'), { opset: 12.5 })).rejects.toThrow(/opset must be/);
    await expect(tl.exportOnnx(model, '')).rejects.toThrow(/exportOnnx: path must be a file path/);
    await expect(tl.exportOnnx({ layers: [] }, file('o'))).rejects.toThrow(
      /exportOnnx: expected a model .* got Object/,
    );
    await expect(tl.exportOnnx(tl.sequential(), file('o'))).rejects.toThrow(/has no layers/);
  });

  it('leaves the weights as they were (kernels are permuted in copies)', async () => {
    const model = tl.sequential({
      layers: [
        layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 2] }),
        layers.flatten(),
        layers.dense({ units: 2 }),
      ],
    });
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await tl.exportOnnx(model, file('weights'));
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });
});
