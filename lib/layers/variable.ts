import type { Constraint } from '../constraints/index.js';
import { Tensor } from '../tensor/tensor.js';
import { assignValues } from '../tensor/storage.js';

/**
 * A named, mutable weight: its `value` is a leaf tensor that requires grad while trainable.
 * Optimizers and setWeights write into value.data in place; everything else treats it as immutable.
 */
export class Variable {
  /** Projects the values in place after each optimizer step (a layer's kernelConstraint / biasConstraint). */
  constraint?: Constraint;

  constructor(
    /** The name. */
    readonly name: string,
    /** The current value. */
    readonly value: Tensor,
    private _trainable = true,
  ) {
    value.requiresGrad = _trainable;
  }
  get trainable(): boolean {
    return this._trainable;
  }
  set trainable(t: boolean) {
    this._trainable = t;
    this.value.requiresGrad = t;
    if (!t) this.value.grad = null;
  }
  get shape(): readonly number[] {
    return this.value.shape;
  }
  /** Replace the values (same size), keeping the tensor identity that optimizer slots are keyed by. */
  assign(values: Float32Array): void {
    assignValues(this.value, values);
  }
  /** A variable holding `data` (taken, not copied) in the given shape. */
  static create(name: string, shape: readonly number[], data: Float32Array, trainable = true): Variable {
    return new Variable(name, new Tensor(data, shape), trainable);
  }
}
