import { TensileError } from '../errors.js';
import { lookup, optionsObject, unknownName } from '../internal/names.js';
import { abs, add, mul, square, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A weight penalty added to the training loss, as Keras' and tfjs' L1L2: l1·Σ|w| + l2·Σw². A layer's
 * kernelRegularizer / biasRegularizer (and the like) penalise its weights on every step; its
 * activityRegularizer penalises its output, divided by the batch size (Keras 2). fit's and evaluate's
 * reported loss include the penalties, as Keras'.
 * @example
 * tl.layers.dense({ units: 8, kernelRegularizer: tl.regularizers.l2({ l2: 1e-4 }) })
 */
export class L1L2 {
  /** Keras' class name, as saved. */
  static readonly className = 'L1L2';
  /** Weight of Σ|w|. */
  readonly l1: number;
  /** Weight of Σw². */
  readonly l2: number;
  constructor(o: { l1?: number; l2?: number } = {}) {
    const op = 'regularizers.l1l2';
    optionsObject(op, o, ['l1', 'l2'], '{ l1: 0.01, l2: 0.01 }');
    this.l1 = checkFactor(op, 'l1', o.l1 ?? 0);
    this.l2 = checkFactor(op, 'l2', o.l2 ?? 0);
  }
  /** The penalty of x: a scalar tensor, differentiable. */
  apply(x: Tensor): Tensor {
    const l1 = this.l1 ? mul(sum(abs(x)), this.l1) : null;
    const l2 = this.l2 ? mul(sum(square(x)), this.l2) : null;
    return l1 && l2 ? add(l1, l2) : (l1 ?? l2 ?? mul(sum(x), 0));
  }
  /** { l1, l2 }, as Keras saves the regularizer. */
  getConfig(): {
    /** Weight of Σ|w|. */
    l1: number;
    /** Weight of Σw². */
    l2: number;
  } {
    return { l1: this.l1, l2: this.l2 };
  }
}
/** A regularizer: l1·Σ|w| + l2·Σw² added to the loss. */
export type Regularizer = L1L2;

function checkFactor(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new TensileError(op, `${name} must be a non-negative number, got ${String(v)}`);
  return v;
}

/** l1·Σ|w| (default l1 0.01, as tfjs). @example tl.layers.dense({ units: 4, kernelRegularizer: tl.regularizers.l1({ l1: 1e-3 }) }) */
export const l1 = (o: { l1?: number } = {}): L1L2 =>
  new L1L2({ l1: optionsObject('regularizers.l1', o, ['l1'], '{ l1: 0.01 }').l1 ?? 0.01 });
/** l2·Σw² (default l2 0.01, as tfjs). @example tl.layers.dense({ units: 4, kernelRegularizer: tl.regularizers.l2({ l2: 1e-4 }) }) */
export const l2 = (o: { l2?: number } = {}): L1L2 =>
  new L1L2({ l2: optionsObject('regularizers.l2', o, ['l2'], '{ l2: 0.01 }').l2 ?? 0.01 });
/** l1·Σ|w| + l2·Σw² (defaults 0.01 each, as tfjs). @example tl.regularizers.l1l2({ l1: 1e-5, l2: 1e-4 }) */
export const l1l2 = (o: { l1?: number; l2?: number } = {}): L1L2 => {
  const c = optionsObject('regularizers.l1l2', o, ['l1', 'l2'], '{ l1: 0.01, l2: 0.01 }');
  return new L1L2({ l1: c.l1 ?? 0.01, l2: c.l2 ?? 0.01 });
};

const BY_NAME: Readonly<Record<string, () => L1L2>> = { l1: () => l1(), l2: () => l2(), l1l2: () => l1l2() };
/** A regularizer by name: 'l1', 'l2' or 'l1l2' (default factors 0.01). */
export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2' | (string & {});

/** A regularizer as given, a default one from its name ('l1', 'l2', 'l1l2'), or undefined for none. */
export function getRegularizer(
  op: string,
  id: RegularizerIdentifier | Regularizer | null | undefined,
): Regularizer | undefined {
  if (id === undefined || id === null) return undefined;
  if (id instanceof L1L2) return id;
  const make = typeof id === 'string' ? lookup(BY_NAME, id.toLowerCase().replace('_', '')) : undefined;
  if (!make)
    throw new TensileError(
      op,
      unknownName('regularizer', typeof id === 'string' ? id : typeof id, Object.keys(BY_NAME)),
    );
  return make();
}
