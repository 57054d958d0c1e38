import { expect } from 'vitest';
import { noGrad } from '../../lib/autograd/index.js';
import { type Tensor, tensor } from '../../lib/tensor/index.js';
import { rng } from './random.js';

export interface GradcheckOptions {
  /** Central-difference step. Inputs must sit further than this from any kink. */
  eps?: number;
  /** |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|), per element. */
  rtol?: number;
  atol?: number;
  /** Indices of the inputs to differentiate (default: all); the others enter as constants. */
  wrt?: readonly number[];
  /** Seed of the random output weights. */
  seed?: number;
}

/**
 * Check the gradient of f with respect to each input against central differences.
 *
 * f may return any shape: the checked scalar is L = Σ w·f(x) for fixed random weights w, so that
 * every output element matters (a plain sum would hide, e.g., softmax's gradient, which sums to 0).
 * The analytic side is one `backward(w)`. The numeric side perturbs each element by ±eps in float32,
 * divides by the step actually taken after rounding, and accumulates L in float64, so the only
 * float32 noise is f's own rounding: about |y|·6e-8 per output element, divided by 2·eps.
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): void {
  const { eps = 1e-2, rtol = 1e-2, atol = 1e-3, seed = 1 } = options;
  const wrt = options.wrt ?? inputs.map((_, i) => i);

  // Analytic: one backward through the recorded graph.
  const leaves = inputs.map((x, i) => tensor(x.dataSync(), x.shape, { requiresGrad: wrt.includes(i) }));
  const y = f(...leaves);
  expect(y.requiresGrad, 'f(x) records a graph').toBe(true);
  const r = rng(seed);
  const w = new Float32Array(y.size);
  for (let i = 0; i < w.length; i++) w[i] = 0.5 + r(); // in [0.5, 1.5): no weight is near 0
  y.backward(tensor(w, y.shape));

  // Numeric: L at x ± eps for each element of each checked input, without recording.
  const loss = (xs: Tensor[]): number => {
    const out = noGrad(() => f(...xs));
    const v = out.dataSync();
    let s = 0;
    for (let i = 0; i < out.size; i++) s += w[i] * v[i];
    return s;
  };
  for (const i of wrt) {
    const grad = leaves[i].grad;
    const gradValues = grad?.dataSync();
    if (grad) expect([...grad.shape], `shape of the gradient of input ${i}`).toEqual([...inputs[i].shape]);
    const base = inputs[i].dataSync();
    const xs = inputs.map((x) => tensor(x.dataSync(), x.shape));
    const failures: string[] = [];
    for (let j = 0; j < base.length; j++) {
      const hi = Math.fround(base[j] + eps);
      const lo = Math.fround(base[j] - eps);
      const probe = (v: number) => {
        const d = base.slice();
        d[j] = v;
        xs[i] = tensor(d, inputs[i].shape);
        return loss(xs);
      };
      const numeric = (probe(hi) - probe(lo)) / (hi - lo);
      const analytic = gradValues ? gradValues[j] : 0;
      if (!(Math.abs(analytic - numeric) <= atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric))))
        failures.push(`element ${j} (x = ${base[j]}): analytic ${analytic}, numeric ${numeric}`);
    }
    if (failures.length)
      expect.fail(
        `gradient of input ${i} of shape [${inputs[i].shape.join(', ')}] differs from central differences at ${failures.length} of ${base.length} elements:\n  ${failures.slice(0, 8).join('\n  ')}`,
      );
  }
}
