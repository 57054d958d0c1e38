import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { ACTIVATIONS } from '../../lib/layers/activations.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { availableBackends, expectTensileError, seeded, useBackend } from '../helpers/ops.js';
import { expectAllClose } from '../helpers/close.js';

/** erf in float64: Maclaurin series (|x| ≤ 4, ~1e-9 after cancellation), ±1 beyond (erfc(4) ≈ 1.5e-8). */
function erf(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 120; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Keras' formulas, in float64. */
const FORMULAS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  sigmoid: sig,
  tanh: Math.tanh,
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  softsign: (x) => x / (1 + Math.abs(x)),
  leakyRelu: (x) => (x > 0 ? x : 0.2 * x),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  swish: (x) => x * sig(x),
};

// Several points per regime, including large magnitudes where a naive formula overflows (exp(89) = Inf in float32).
const POINTS = [-1e4, -500, -89, -50, -20, -5, -3, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 3, 5, 20, 50, 89, 500, 1e4];

describe.each(availableBackends())('activations on %s', (backend) => {
  useBackend(backend);

  it('the registry holds exactly the tfjs-layers names', () => {
    expect(Object.keys(ACTIVATIONS).sort()).toEqual([...Object.keys(FORMULAS), 'softmax'].sort());
  });

  it.each(Object.keys(FORMULAS))('%s matches its formula, finite for large |x|', (name) => {
    const layer = tl.layers.activation({ activation: name });
    const y = layer.apply(tl.tensor([POINTS]));
    expect(y.shape).toEqual([1, POINTS.length]);
    expect(Array.from(y.dataSync()).every(Number.isFinite), `${name}: ${Array.from(y.dataSync())}`).toBe(true);
    expectAllClose(y.dataSync(), POINTS.map(FORMULAS[name]), { rtol: 2e-6, atol: 1e-6 });
  });

  it.each(Object.keys(FORMULAS))('%s has a finite gradient at large |x|', (name) => {
    const x = tl.tensor(POINTS, [1, POINTS.length], { requiresGrad: true });
    const y = tl.layers.activation({ activation: name }).apply(x);
    if (name === 'linear') return; // the identity records nothing
    y.sum().backward();
    expect(Array.from(x.grad!.dataSync()).every(Number.isFinite), `${name}: ${Array.from(x.grad!.dataSync())}`).toBe(
      true,
    );
  });

  it.each(Object.keys(FORMULAS).filter((n) => n !== 'linear'))('%s has the gradient of central differences', (name) => {
    const fn = ACTIVATIONS[name];
    gradcheck(fn, [seeded([3, 4], 11, { lo: -3, hi: 3, avoid: [0], margin: 0.05 })], { eps: 1e-2 });
  });

  it('softmax is row-wise, sums to 1 and stays finite for large logits', () => {
    const y = tl.layers.activation({ activation: 'softmax' }).apply(
      tl.tensor([
        [1, 2, 3],
        [1000, 1001, 1002],
        [-1e4, 0, 1e4],
      ]),
    );
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0] + e[1] + e[2];
    expectAllClose(y.dataSync(), [...e.map((v) => v / s), ...e.map((v) => v / s), 0, 0, 1], { rtol: 1e-6, atol: 1e-7 });
    gradcheck(ACTIVATIONS.softmax, [seeded([2, 3], 5)]);
  });

  it('large |x|: saturating values, exactly', () => {
    const at = (name: string, v: number) =>
      tl.layers
        .activation({ activation: name })
        .apply(tl.tensor([[v]]))
        .item();
    expect(at('sigmoid', 1e4)).toBe(1);
    expect(at('sigmoid', -1e4)).toBe(0);
    expect(at('tanh', -1e4)).toBe(-1);
    expect(at('elu', -1e4)).toBe(-1);
    expect(at('selu', -1e4)).toBeCloseTo(-SELU_SCALE * SELU_ALPHA, 6);
    expect(at('softplus', 1e4)).toBe(1e4);
    expect(at('softplus', -1e4)).toBe(0);
    expect(at('gelu', -1e4)).toBeCloseTo(0, 10);
    expect(at('gelu', 1e4)).toBe(1e4);
    expect(at('swish', -1e4)).toBeCloseTo(0, 10);
    expect(at('softsign', 1e4)).toBeCloseTo(1e4 / 10001, 6);
  });
});

describe('activation names', () => {
  it('resolve in camelCase, snake_case and aliases; null means linear', () => {
    expect(tl.layers.dense({ units: 1, activation: 'leaky_relu' }).getConfig().activation).toBe('leakyRelu');
    expect(tl.layers.dense({ units: 1, activation: 'leakyRelu' }).getConfig().activation).toBe('leakyRelu');
    expect(tl.layers.dense({ units: 1, activation: 'silu' }).getConfig().activation).toBe('swish');
    expect(tl.layers.dense({ units: 1, activation: null }).getConfig().activation).toBe('linear');
    expect(tl.layers.dense({ units: 1 }).getConfig().activation).toBe('linear');
    expect(tl.layers.activation({ activation: 'softmax' }).getConfig().activation).toBe('softmax');
  });

  it("an unknown name is a TensileError with a suggestion: 'rellu' → did you mean 'relu'", () => {
    expectTensileError(
      () => tl.layers.dense({ units: 2, activation: 'rellu' }),
      'layers.dense',
      "unknown activation 'rellu'",
      "did you mean 'relu'?",
      'expected one of',
    );
    expectTensileError(
      () => tl.layers.activation({ activation: 'sigmod' }),
      'layers.activation',
      "did you mean 'sigmoid'?",
    );
    expectTensileError(
      () => tl.layers.activation({ activation: 'zzzzzzzzzz' }),
      'layers.activation',
      "unknown activation 'zzzzzzzzzz'",
    );
  });
});
