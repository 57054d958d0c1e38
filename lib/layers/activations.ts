import { TensileError } from '../errors.js';
import {
  abs,
  add,
  div,
  exp,
  greater,
  log,
  mul,
  neg,
  relu,
  scalar,
  sigmoid,
  softmax,
  sub,
  tanh,
  where,
  maximum,
} from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { lookup, unknownName } from '../internal/names.js';

export type ActivationFn = (x: Tensor) => Tensor;

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export const elu = (x: Tensor, alpha = 1): Tensor =>
  where(greater(x, scalar(0)), x, mul(sub(exp(minimum0(x)), scalar(1)), scalar(alpha)));
/** min(x, 0): keeps exp() of the unused branch from overflowing for large x. */
const minimum0 = (x: Tensor): Tensor => neg(relu(neg(x)));

/** erf(x) by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), written with ops so it differentiates. */
function erf(x: Tensor): Tensor {
  const ax = abs(x);
  const t = div(scalar(1), add(scalar(1), mul(ax, scalar(0.3275911))));
  let poly = scalar(1.061405429);
  for (const c of [-1.453152027, 1.421413741, -0.284496736, 0.254829592]) poly = add(mul(poly, t), scalar(c));
  const y = sub(scalar(1), mul(mul(poly, t), exp(neg(mul(x, x)))));
  return mul(y, where(greater(x, scalar(0)), scalar(1), where(greater(scalar(0), x), scalar(-1), scalar(0))));
}

/** Keras' activations by their tfjs-layers names. */
export const ACTIVATIONS: Readonly<Record<string, ActivationFn>> = {
  linear: (x) => x,
  relu,
  sigmoid,
  tanh,
  softmax: (x) => softmax(x, -1),
  elu: (x) => elu(x),
  selu: (x) => mul(elu(x, SELU_ALPHA), scalar(SELU_SCALE)),
  // softplus(x) = max(x, 0) + log(1 + e^−|x|): no overflow for large |x|.
  softplus: (x) => add(maximum(x, scalar(0)), log(add(scalar(1), exp(neg(abs(x)))))),
  softsign: (x) => div(x, add(scalar(1), abs(x))),
  leakyRelu: (x) => where(greater(x, scalar(0)), x, mul(x, scalar(0.2))),
  // Keras' default gelu is the exact one: 0.5·x·(1 + erf(x/√2)).
  gelu: (x) => mul(mul(x, scalar(0.5)), add(scalar(1), erf(mul(x, scalar(Math.SQRT1_2))))),
  swish: (x) => mul(x, sigmoid(x)),
};

export type ActivationIdentifier =
  | 'linear'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'elu'
  | 'selu'
  | 'softplus'
  | 'softsign'
  | 'leakyRelu'
  | 'gelu'
  | 'swish'
  | (string & {});

/** Resolve an activation name (camelCase or Keras snake_case; null/undefined → linear). */
export function getActivation(
  op: string,
  name: ActivationIdentifier | null | undefined,
): { name: string; fn: ActivationFn } {
  const key = name ?? 'linear';
  const fn = lookup(ACTIVATIONS, key, { leaky_relu: 'leakyRelu', silu: 'swish' });
  if (!fn) throw new TensileError(op, unknownName('activation', key, Object.keys(ACTIVATIONS)));
  const canonical = Object.keys(ACTIVATIONS).find((k) => ACTIVATIONS[k] === fn)!;
  return { name: canonical, fn };
}
