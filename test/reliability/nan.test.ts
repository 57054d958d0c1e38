// NaN hunting: terminateOnNaN stops fit at the first non-finite loss; debug mode names the first op
// (and layer, or gradient) that made a NaN or Infinity from finite inputs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tl from '../../lib/index.js';
import { TerminateOnNaN } from '../../lib/models/callbacks.js';

function mlp(lr: number): tl.Sequential {
  tl.setSeed(5);
  const m = tl.sequential();
  m.add(tl.layers.dense({ units: 8, inputShape: [4], activation: 'relu', name: 'hidden' }));
  m.add(tl.layers.dense({ units: 1, name: 'out' }));
  m.compile({ optimizer: tl.optimizers.sgd({ learningRate: lr }), loss: 'meanSquaredError' });
  return m;
}
const data = () => ({ x: tl.randn([64, 4]), y: tl.randn([64, 1]) });

describe('callbacks.terminateOnNaN', () => {
  it('stops at the first batch whose loss is NaN and says so', async () => {
    const m = mlp(0.01);
    const { x } = data();
    const y = tl.tensor(
      Array.from({ length: 64 }, (_, i) => (i === 40 ? NaN : 0)),
      [64, 1],
    );
    const lines: string[] = [];
    const cb = new TerminateOnNaN((line) => lines.push(line));
    let batches = 0;
    const h = await m.fit(x, y, {
      epochs: 5,
      batchSize: 16,
      shuffle: false,
      verbose: 0,
      callbacks: [cb, { onBatchEnd: () => void batches++ }],
    });
    expect(lines).toEqual(['Batch 2: Invalid loss, terminating training']);
    expect(cb.stoppedBatch).toBe(2);
    expect(batches).toBe(3);
    expect(h.epoch).toEqual([0]);
    expect(h.history.loss[0]).toBeNaN();
  });

  it('stops a diverging fit (loss to Infinity or NaN) long before its epochs run out', async () => {
    const m = mlp(1e6);
    const { x, y } = data();
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const h = await m.fit(x, y, {
        epochs: 50,
        batchSize: 16,
        verbose: 0,
        callbacks: [tl.callbacks.terminateOnNaN()],
      });
      expect(h.epoch.length).toBeLessThan(50);
      expect(Number.isFinite(h.history.loss.at(-1))).toBe(false);
      expect(write.mock.calls.map((c) => String(c[0])).join('')).toMatch(
        /^Batch \d+: Invalid loss, terminating training\n$/,
      );
    } finally {
      write.mockRestore();
    }
  });

  it('lets a healthy fit run to the end', async () => {
    const m = mlp(0.01);
    const { x, y } = data();
    const cb = new TerminateOnNaN(() => {
      throw new Error('must not print');
    });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks: [cb] });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(cb.stoppedBatch).toBe(-1);
  });
});

describe('debug mode', () => {
  afterEach(() => tl.setDebug(false));

  it('is off by default, and then lets NaN and Infinity through quietly', () => {
    expect(tl.isDebug()).toBe(false);
    expect(tl.log(tl.tensor([1, 0])).dataSync()[1]).toBe(-Infinity);
  });

  it('names the op that made an Infinity from finite inputs', () => {
    tl.setDebug(true);
    expect(() => tl.log(tl.tensor([1, 0]))).toThrow(tl.TensileError);
    expect(() => tl.log(tl.tensor([1, 0]))).toThrow(
      /^log: produced -Infinity at flat index 1 of its output \(shape \[2\]\) from finite inputs/,
    );
    expect(() => tl.div(tl.tensor([1, 0]), tl.tensor([0, 0]))).toThrow(/^div: produced Infinity at flat index 0/);
  });

  it('lets non-finite inputs through: the op that made them was elsewhere (user data)', () => {
    tl.setDebug(true);
    expect(tl.exp(tl.tensor([NaN, 1])).dataSync()[0]).toBeNaN();
  });

  it('names the layer whose forward pass overflowed', () => {
    tl.setDebug(true);
    const m = tl.sequential();
    m.add(tl.layers.dense({ units: 2, inputShape: [2], name: 'big' }));
    m.setWeights([
      tl.tensor([
        [3e38, 3e38],
        [3e38, 3e38],
      ]),
      tl.tensor([0, 0]),
    ]);
    expect(() => m.predict(tl.tensor([[10, 10]]))).toThrow(
      /^dense: produced Infinity .* in layer 'big' \[debug mode\]$/,
    );
  });

  it('reports a weight holding NaN (optimizer updates and setWeights are not ops) at its first use', () => {
    const m = tl.sequential();
    m.add(tl.layers.dense({ units: 2, inputShape: [2], name: 'first' }));
    m.add(tl.layers.dense({ units: 1, name: 'second' }));
    const w = m.getWeights();
    w[2] = tl.tensor([[NaN], [1]]);
    m.setWeights(w);
    tl.setDebug(true);
    expect(() => m.predict(tl.tensor([[1, 2]]))).toThrow(
      /^dense: input 1 is a weight \(shape \[2, 1\]\) holding NaN: .* in layer 'second' \[debug mode\]$/,
    );
  });

  it('names the op whose gradient made an Infinity', () => {
    tl.setDebug(true);
    const x = tl.tensor([0, 1], [2], { requiresGrad: true });
    const y = tl.sqrt(x).sum(); // sqrt(0) = 0 is fine; its gradient 1 / (2·sqrt(0)) is not
    expect(() => y.backward()).toThrow(/^div: produced Infinity .* in the gradient of 'sqrt'/);
  });

  it('stops a diverging fit at the first overflowing op, naming its layer', async () => {
    const m = mlp(1e6);
    const { x, y } = data();
    tl.setDebug(true);
    await expect(m.fit(x, y, { epochs: 50, batchSize: 16, verbose: 0 })).rejects.toThrow(/in layer '(hidden|out)'/);
  });

  it('changes no result of a healthy fit', async () => {
    const { x, y } = data();
    const plain = mlp(0.01);
    await plain.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const debugged = mlp(0.01);
    tl.setDebug(true);
    await debugged.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(debugged.getWeights().map((w) => w.arraySync())).toEqual(plain.getWeights().map((w) => w.arraySync()));
  });

  it('rejects a non-boolean', () => {
    expect(() => tl.setDebug(1 as unknown as boolean)).toThrow(/^setDebug: expected true or false, got 1/);
  });

  it('is turned on by env TENSILE_DEBUG=1 at load', async () => {
    vi.stubEnv('TENSILE_DEBUG', '1');
    vi.resetModules();
    try {
      const fresh = await import('../../lib/autograd/debug.js');
      expect(fresh.isDebug()).toBe(true);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
