import type { BroadcastPlan } from '../strides.js';
import type { BinaryOp, UnaryOp } from '../kinds.js';
import { forEachStrided } from './strided.js';

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  square: (x) => x * x,
  relu: (x) => (x > 0 ? x : x === x ? 0 : x), // NaN stays NaN
  // Both branches only ever exponentiate a non-positive number: no overflow for large |x|.
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
  step: (x) => (x > 0 ? 1 : x === x ? 0 : x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), // keeps ±0 and NaN
};

export const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // NaN in either operand propagates, as in NumPy's maximum/minimum.
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  equal: (a, b) => +(a === b),
  greater: (a, b) => +(a > b),
  greaterEqual: (a, b) => +(a >= b),
  less: (a, b) => +(a < b),
  lessEqual: (a, b) => +(a <= b),
};

export function unary(op: UnaryOp, x: Float32Array, out: Float32Array): void {
  const f = UNARY[op];
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

export function binary(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, plan: BroadcastPlan): void {
  const f = BINARY[op];
  forEachStrided(plan, (i, [ia, ib]) => {
    out[i] = f(a[ia], b[ib]);
  });
}

export function where(
  cond: Float32Array,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  plan: BroadcastPlan,
): void {
  forEachStrided(plan, (i, [ic, ia, ib]) => {
    out[i] = cond[ic] !== 0 ? a[ia] : b[ib];
  });
}

export function broadcast(x: Float32Array, out: Float32Array, plan: BroadcastPlan): void {
  forEachStrided(plan, (i, [ix]) => {
    out[i] = x[ix];
  });
}
