import type { Backend, UpdateRule } from './backend.js';
import { UPDATE_RULES } from './kinds.js';

/**
 * An optimizer's update rule as numbers: [kind code (UPDATE_RULES), ...hyperparameters], the wire format of
 * native/src/binding/update_rule.h. Backend.applyUpdate reads it when the kernel runs, so a compiled step replays
 * its update with the optimizer's current learning rate and step count.
 */
export const RULE_LENGTH = 7;

/** Write rule into out (RULE_LENGTH numbers; unused entries 0). */
export function encodeRule(rule: UpdateRule, out: Float64Array): Float64Array {
  // element by element: this runs before every training step
  out.fill(0);
  out[0] = UPDATE_RULES.indexOf(rule.kind);
  const h = rule.h;
  out[1] = h.lr;
  if (rule.kind === 'adam') {
    const a = rule.h;
    out[2] = a.beta1;
    out[3] = a.beta2;
    out[4] = a.epsilon;
    out[5] = a.t;
    out[6] = a.weightDecay;
  } else if (rule.kind === 'sgd') {
    out[2] = rule.h.momentum;
    out[3] = +rule.h.nesterov;
  } else if (rule.kind === 'rmsprop') {
    const r = rule.h;
    out[2] = r.rho;
    out[3] = r.momentum;
    out[4] = r.epsilon;
    out[5] = +r.centered;
  } else out[2] = rule.h.epsilon;
  return out;
}

/** The rule encodeRule wrote. */
export function decodeRule(r: Float64Array): UpdateRule {
  const kind = UPDATE_RULES[r[0]];
  if (kind === 'adam')
    return { kind, h: { lr: r[1], beta1: r[2], beta2: r[3], epsilon: r[4], t: r[5], weightDecay: r[6] } };
  if (kind === 'sgd') return { kind, h: { lr: r[1], momentum: r[2], nesterov: r[3] !== 0 } };
  if (kind === 'rmsprop')
    return { kind, h: { lr: r[1], rho: r[2], momentum: r[3], epsilon: r[4], centered: r[5] !== 0 } };
  return { kind: 'adagrad', h: { lr: r[1], epsilon: r[2] } };
}

type UpdateKernels = Pick<Backend, 'adamUpdate' | 'sgdUpdate' | 'rmspropUpdate' | 'adagradUpdate'>;

/** The rule's update of param through k's kernel for it; slots in the rule's order (Adam m, v; ...). */
export function updateBy(
  k: UpdateKernels,
  rule: UpdateRule,
  param: Float32Array,
  grad: Float32Array,
  s: readonly Float32Array[],
): void {
  if (rule.kind === 'adam') k.adamUpdate(param, grad, s[0], s[1], rule.h);
  else if (rule.kind === 'sgd') k.sgdUpdate(param, grad, s[0], rule.h);
  else if (rule.kind === 'rmsprop') k.rmspropUpdate(param, grad, s[0], s[1], s[2], rule.h);
  else k.adagradUpdate(param, grad, s[0], rule.h);
}
