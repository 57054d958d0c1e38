import type { AdagradStep, AdamStep, Backend, RmspropStep, SgdStep } from '../backend.js';
import { decodeRule, updateBy } from '../update-rule.js';

// The published update rules, one element at a time. Slots and param are updated in place.

export function adamUpdate(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  h: AdamStep,
): void {
  const { lr, beta1, beta2, epsilon, t, weightDecay } = h;
  const c1 = 1 - beta1 ** t;
  const c2 = 1 - beta2 ** t;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    if (weightDecay !== 0) param[i] -= lr * weightDecay * param[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    param[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
  }
}

export function sgdUpdate(param: Float32Array, grad: Float32Array, velocity: Float32Array, h: SgdStep): void {
  const { lr, momentum, nesterov } = h;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    if (momentum === 0) {
      param[i] -= lr * g;
      continue;
    }
    velocity[i] = momentum * velocity[i] - lr * g;
    param[i] += nesterov ? momentum * velocity[i] - lr * g : velocity[i];
  }
}

export function rmspropUpdate(
  param: Float32Array,
  grad: Float32Array,
  ms: Float32Array,
  mom: Float32Array,
  mg: Float32Array,
  h: RmspropStep,
): void {
  const { lr, rho, momentum, epsilon, centered } = h;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    ms[i] = rho * ms[i] + (1 - rho) * g * g;
    let denom = ms[i];
    if (centered) {
      mg[i] = rho * mg[i] + (1 - rho) * g;
      denom -= mg[i] * mg[i];
    }
    const inc = (lr * g) / Math.sqrt(denom + epsilon);
    if (momentum > 0) {
      mom[i] = momentum * mom[i] + inc;
      param[i] -= mom[i];
    } else {
      param[i] -= inc;
    }
  }
}

export function adagradUpdate(param: Float32Array, grad: Float32Array, acc: Float32Array, h: AdagradStep): void {
  const { lr, epsilon } = h;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    acc[i] += g * g;
    param[i] -= (lr * g) / Math.sqrt(acc[i] + epsilon);
  }
}

/** The four kernels, for updateBy. */
export const UPDATES = { adamUpdate, sgdUpdate, rmspropUpdate, adagradUpdate };

/** Backend.applyUpdate: the rule's kernel, the rule read from its numbers now. */
export const applyUpdate: Backend['applyUpdate'] = (rule, param, grad, s0, s1, s2) =>
  updateBy(UPDATES, decodeRule(rule), param, grad, [s0, s1, s2]);
