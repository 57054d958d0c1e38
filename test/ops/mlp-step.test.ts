import { describe, expect, it } from 'vitest';
import type { MlpLayerArrays } from '../../lib/backend/backend.js';
import { DENSE_ACTIVATIONS, MLP_LOSSES, MLP_METRICS } from '../../lib/backend/kinds.js';
import { nativeBackend } from '../../lib/backend/native/index.js';
import { referenceBackend } from '../../lib/backend/reference/index.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { rng } from '../helpers/random.js';

// The fused dense-stack training step (Backend.mlpStep): the native kernel against the reference one,
// which composes the reference dense, crossentropy and argmax kernels.

function problem(seed: number, batch: number, sizes: number[], acts: (typeof DENSE_ACTIVATIONS)[number][], probs: boolean) {
  const r = rng(seed);
  const u = (n: number, s = 1) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * s);
  const layers: MlpLayerArrays[] = acts.map((act, i) => {
    const k = sizes[i], n = sizes[i + 1];
    const bias = i % 2 === 0;
    return { w: u(k * n, 1.5 / Math.sqrt(k)), b: bias ? u(n, 0.2) : new Float32Array(0), dw: new Float32Array(k * n), db: new Float32Array(bias ? n : 0), k, n, act };
  });
  const cols = sizes[sizes.length - 1];
  const y = new Float32Array(batch * cols);
  for (let i = 0; i < batch; i++) {
    if (probs) y[i * cols + Math.floor(r() * cols)] = 1;
    else for (let j = 0; j < cols; j++) y[i * cols + j] = r();
  }
  return { x: u(batch * sizes[0], 2), y, layers };
}

const copy = (layers: MlpLayerArrays[]) => layers.map((l) => ({ ...l, dw: new Float32Array(l.dw.length), db: new Float32Array(l.db.length) }));

describe.skipIf(!nativeLoaded)('mlpStep: native against reference', () => {
  const native = nativeBackend(addon!);
  const cases = [
    { name: 'W1-like: 10→10 relu→10 relu→2 softmax', batch: 32, sizes: [10, 10, 10, 2], acts: ['relu', 'relu', 'softmax'] as const },
    { name: 'one layer, batch 1, sigmoid', batch: 1, sizes: [5, 3], acts: ['sigmoid'] as const },
    { name: 'tanh and linear, odd sizes', batch: 7, sizes: [13, 9, 4], acts: ['tanh', 'linear'] as const },
    { name: 'W2-sized', batch: 128, sizes: [784, 64, 10], acts: ['relu', 'softmax'] as const },
  ];
  for (const c of cases)
    for (const loss of MLP_LOSSES)
      for (const metric of MLP_METRICS)
        it(`${c.name}, ${loss}, ${metric}`, () => {
          const probs = loss !== 'meanSquaredError';
          const acts = [...c.acts];
          if (loss === 'binaryCrossentropy') acts[acts.length - 1] = acts[acts.length - 1] === 'softmax' ? 'softmax' : 'sigmoid';
          const p = problem(c.batch + c.sizes[0], c.batch, c.sizes, acts, probs);
          const a = copy(p.layers), b = copy(p.layers);
          const ra = native.mlpStep(p.x, p.y, a, c.batch, loss, 1e-7, metric);
          const rb = referenceBackend.mlpStep(p.x, p.y, b, c.batch, loss, 1e-7, metric);
          expect(ra.loss).toBeCloseTo(rb.loss, 5);
          expect(ra.metric).toBeCloseTo(rb.metric, 10);
          a.forEach((l, i) => {
            expectAllClose(l.dw, b[i].dw, { rtol: 2e-4, atol: 1e-6 });
            expectAllClose(l.db, b[i].db, { rtol: 2e-4, atol: 1e-6 });
          });
          expect(Number.isFinite(ra.loss)).toBe(true);
        });

  it('clips probabilities like the crossentropy op: saturated outputs give finite loss and zero gradient there', () => {
    const p = problem(5, 4, [3, 2], ['sigmoid'], true);
    p.layers[0].w.fill(1e4); // sigmoid saturates to exactly 0 or 1
    const a = copy(p.layers), b = copy(p.layers);
    const ra = native.mlpStep(p.x, p.y, a, 4, 'binaryCrossentropy', 1e-7, 'binaryAccuracy');
    const rb = referenceBackend.mlpStep(p.x, p.y, b, 4, 'binaryCrossentropy', 1e-7, 'binaryAccuracy');
    expect(Number.isFinite(ra.loss)).toBe(true);
    expect(ra.loss).toBeCloseTo(rb.loss, 4);
    expectAllClose(a[0].dw, b[0].dw, { rtol: 1e-4, atol: 1e-6 });
  });

  it('propagates NaN from the inputs to the loss, as the op-by-op path does', () => {
    const p = problem(6, 3, [4, 2], ['softmax'], true);
    p.x[2] = NaN;
    const r = native.mlpStep(p.x, p.y, copy(p.layers), 3, 'categoricalCrossentropy', 1e-7, 'none');
    expect(Number.isNaN(r.loss)).toBe(true);
  });
});
