import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectTensileError, expectTensor, seeded } from '../helpers/ops.js';
import { expectRejects } from '../models/fixtures.js';

interface ScaleArgs extends tl.layers.LayerArgs {
  init?: number;
}

/** A user's layer, as the tfjs docs write one: a learned per-feature scale, plus a constant from its config. */
class LearnedScale extends tl.layers.Layer<ScaleArgs> {
  static override readonly className: string = 'LearnedScale';
  private scale!: tl.layers.Variable;
  override build(inputShape: tl.layers.SymbolicShape | tl.layers.SymbolicShape[]): void {
    const s = inputShape as tl.layers.SymbolicShape;
    const init = this.args.init ?? 1;
    this.scale = this.addWeight('scale', [s[s.length - 1] as number], (shape) => new Float32Array(shape[0]).fill(init));
  }
  call(x: tl.Tensor | tl.Tensor[]): tl.Tensor {
    return tl.mul(x as tl.Tensor, this.scale.value);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), init: this.args.init ?? 1 };
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'custom-'));

describe('custom layers', () => {
  it('a registered subclass trains, saves and loads back by class name', async () => {
    tl.serialization.registerClass(LearnedScale);
    tl.setSeed(2);
    const m = tl.sequential({
      layers: [
        tl.layers.dense({ units: 3, inputShape: [4] }),
        new LearnedScale({ init: 0.5 }),
        tl.layers.dense({ units: 1 }),
      ],
    });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = seeded([32, 4], 1),
      y = tl.sum(x, { axis: 1, keepDims: true });
    const before = m.layers[1].getWeights()[0].dataSync().slice();
    const h = await m.fit(x, y, { epochs: 20, verbose: 0 });
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    expect(Array.from(m.layers[1].getWeights()[0].dataSync())).not.toEqual(Array.from(before));
    const dir = tmp();
    await m.save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers[1]).toMatchObject({ class_name: 'LearnedScale', config: { init: 0.5 } });
    const back = await tl.loadModel(`file://${dir}/model.json`);
    expect(back.layers[1]).toBeInstanceOf(LearnedScale);
    expect(back.layers[1].getConfig()).toMatchObject({ init: 0.5 });
    expectTensor(back.predict(x) as tl.Tensor, m.predict(x).arraySync() as number[][], { rtol: 1e-6 });

    // The same file naming a class nobody registered: a TensileError that names it and says how to register it.
    json.modelTopology.config.layers[1].class_name = 'NotRegisteredScale';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expectRejects(
      tl.loadModel(`file://${dir}/model.json`),
      'loadModel',
      'NotRegisteredScale',
      'tl.serialization.registerClass(NotRegisteredScale)',
    );
  });

  it('registerClass refuses what it cannot register', () => {
    expectTensileError(
      () => tl.serialization.registerClass(class Foo {} as never),
      'serialization.registerClass',
      'extends tl.layers.Layer',
    );
    class NoName extends tl.layers.Layer {
      call(x: tl.Tensor | tl.Tensor[]) {
        return x;
      }
    }
    expectTensileError(
      () => tl.serialization.registerClass(NoName as never),
      'serialization.registerClass',
      'static className',
    );
    class Impostor extends LearnedScale {
      static override readonly className = 'Dense';
    }
    expectTensileError(
      () => tl.serialization.registerClass(Impostor),
      'serialization.registerClass',
      "'Dense' is a built-in layer",
    );
  });

  it('a custom loss and a custom metric function in compile', async () => {
    tl.setSeed(3);
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [2] })] });
    // Per-element squared error, which fit averages over the last axis then the batch (Keras' reduction).
    const squared = (yTrue: tl.Tensor, yPred: tl.Tensor) => tl.square(tl.sub(yPred, yTrue));
    const maxError = (yTrue: tl.Tensor, yPred: tl.Tensor) => tl.max(tl.abs(tl.sub(yPred, yTrue)));
    m.compile({ optimizer: tl.optimizers.sgd({ learningRate: 0.1 }), loss: squared, metrics: [maxError] });
    const x = seeded([64, 2], 4),
      y = tl.add(tl.mul(tl.sum(x, { axis: 1, keepDims: true }), 2), 1);
    const h = await m.fit(x, y, { epochs: 40, verbose: 0 });
    expect(h.history.loss[39]).toBeLessThan(0.01);
    expect(h.history.maxError).toHaveLength(40);
    const [loss] = m.evaluate(x, y, { verbose: 0 }) as number[];
    expect(loss).toBeCloseTo(tl.mean(tl.square(tl.sub(m.predict(x) as tl.Tensor, y))).item(), 5);
  });
});
