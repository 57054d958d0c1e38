import { describe, expect, it } from 'vitest';
import { tensor } from '../../lib/index.js';
import { crossentropy } from '../../lib/ops/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { availableBackends, expectTensileError, useBackend } from '../helpers/ops.js';

const EPS = 1e-7;

describe.each(availableBackends())('crossentropy on %s', (backend) => {
  useBackend(backend);
  it('binary: mean over the last axis of −[y·log p + (1 − y)·log(1 − p)]', () => {
    const v = crossentropy(
      'binary',
      tensor([
        [1, 0],
        [0, 1],
      ]),
      tensor([
        [0.9, 0.2],
        [0.3, 0.6],
      ]),
      EPS,
    ).dataSync();
    expect(v[0]).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 6);
    expect(v[1]).toBeCloseTo(-(Math.log(0.7) + Math.log(0.6)) / 2, 6);
  });
  it('categorical: −Σ y·log(p/Σp)', () => {
    const v = crossentropy('categorical', tensor([[0, 1, 0]]), tensor([[0.2, 0.6, 0.2]]), EPS).dataSync();
    expect(v[0]).toBeCloseTo(-Math.log(0.6), 6);
    const unnormalised = crossentropy('categorical', tensor([[0, 1, 0]]), tensor([[0.4, 1.2, 0.4]]), EPS).dataSync();
    expect(unnormalised[0]).toBeCloseTo(-Math.log(0.6), 6);
  });
  it('has the gradient of central differences with respect to p (binary and categorical, soft targets)', () => {
    const y = tensor([
      [0.2, 0.8, 0],
      [1, 0, 0.5],
    ]);
    const p = tensor([
      [0.3, 0.5, 0.2],
      [0.6, 0.25, 0.4],
    ]);
    gradcheck((pi) => crossentropy('binary', y, pi, EPS).sum(), [p]);
    gradcheck((pi) => crossentropy('categorical', y, pi, EPS).sum(), [p]);
  });
  it('gives zero gradient where the clip is active, finite values at p = 0 and 1', () => {
    const p = tensor([[0, 1]], undefined, { requiresGrad: true });
    const l = crossentropy('binary', tensor([[1, 0]]), p, EPS);
    expect(Number.isFinite(l.item())).toBe(true);
    l.sum().backward();
    expect([...p.grad!.dataSync()]).toEqual([0, 0]);
  });
  it('rejects mismatched shapes', () => {
    expectTensileError(
      () => crossentropy('binary', tensor([[1, 0]]), tensor([[0.5, 0.5, 0]]), EPS),
      'binaryCrossentropy',
      '[1, 2]',
      '[1, 3]',
    );
  });
});
