import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { availableBackends, expectTensileError, useBackend } from '../helpers/ops.js';
import { rng } from '../helpers/random.js';

const data = (rows: number, seed: number) => {
  const r = rng(seed);
  return {
    x: tl.tensor(
      Float32Array.from({ length: rows * 3 }, () => r() * 2 - 1),
      [rows, 3],
    ),
    y: tl.tensor(
      Float32Array.from({ length: rows }, () => r()),
      [rows, 1],
    ),
  };
};

/** A two-layer regression trained by a custom loop: each step's loss and the final weights. */
function loop(compiled: boolean, rates: number[]) {
  tl.setSeed(3);
  const w1 = tl.randn([3, 4], { requiresGrad: true }),
    b1 = tl.zeros([4], { requiresGrad: true });
  const w2 = tl.randn([4, 1], { requiresGrad: true });
  const params = [w1, b1, w2];
  const opt = tl.optimizers.adam({ learningRate: 0.05 });
  const lossFn = (x: tl.Tensor, y: tl.Tensor) => {
    const h = tl.dropout(tl.relu(tl.add(tl.matmul(x, w1), b1)), 0.25);
    return tl.mean(tl.square(tl.sub(tl.matmul(h, w2), y)));
  };
  const step = compiled
    ? tl.compileStep(lossFn, params, opt)
    : (x: tl.Tensor, y: tl.Tensor) => {
        const loss = lossFn(x, y);
        opt.zeroGrad(params);
        loss.backward();
        opt.step(params);
        return loss.item();
      };
  const losses: number[] = [];
  rates.forEach((rows, i) => {
    const { x, y } = data(rows, i);
    losses.push(step(x, y));
    opt.learningRate *= 0.95; // read live by the replayed update
  });
  return { losses, weights: params.map((p) => Array.from(p.dataSync())) };
}

describe.each(availableBackends())('tl.compileStep on %s', (backend) => {
  useBackend(backend);

  it('gives the numbers of the loop written op by op, across batch sizes (dropout drawn in the plan)', () => {
    const rows = [8, 8, 8, 8, 8, 5, 5, 5, 8, 8, 5];
    const a = loop(false, rows);
    const b = loop(true, rows);
    expect(b.losses).toEqual(a.losses);
    expect(b.weights).toEqual(a.weights);
  });
});

describe('tl.compileStep arguments', () => {
  it('refuses what is not a loss function, parameters or an optimizer, and a non-scalar loss', () => {
    const w = tl.ones([2], { requiresGrad: true });
    const opt = tl.optimizers.sgd();
    expectTensileError(() => tl.compileStep(42 as never, [w], opt), 'compileStep', /lossFn must be a function/);
    expectTensileError(() => tl.compileStep((x) => x, [3 as never], opt), 'compileStep', /params must be a list/);
    expectTensileError(() => tl.compileStep((x) => x, [w], {} as never), 'compileStep', /optimizer must be/);
    expectTensileError(
      () => tl.compileStep((x) => tl.mul(x, w), [w], opt)(tl.ones([2])),
      'compileStep',
      /one-element tensor/,
    );
  });
});
