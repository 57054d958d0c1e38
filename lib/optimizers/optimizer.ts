import { backend } from '../backend/index.js';
import type { Backend } from '../backend/backend.js';
import { TensileError } from '../errors.js';
import { Variable } from '../layers/variable.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export type Param = Tensor | Variable;
const tensorOf = (p: Param): Tensor => (p instanceof Variable ? p.value : p);

/** Throws unless v is a finite number satisfying the check; names the optimizer and the option. */
export function checkOption(op: string, name: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new TensileError(op, `${name} must be ${expected}, got ${String(v)}`);
  return v;
}

/**
 * The base of every optimizer: slots (m, v, …) are created lazily per parameter, and each
 * parameter is updated by one fused backend kernel that writes it in place.
 * @example
 * const opt = tl.optimizers.sgd({ learningRate: 0.1 }); loss.backward(); opt.step([w, b]); opt.zeroGrad([w, b]);
 */
export abstract class Optimizer {
  abstract readonly className: string;
  /** Steps taken so far (Adam's t is iterations after the increment). */
  iterations = 0;
  private readonly slots = new WeakMap<Tensor, Float32Array[]>();
  private _learningRate: number;

  /** @param opName the factory's name for messages, e.g. 'optimizers.adam'. */
  constructor(
    protected readonly opName: string,
    learningRate: number,
  ) {
    this._learningRate = checkOption(opName, 'learningRate', learningRate, (x) => x > 0, 'a positive number');
  }

  get learningRate(): number {
    return this._learningRate;
  }
  set learningRate(lr: number) {
    this._learningRate = checkOption(this.opName, 'learningRate', lr, (x) => x > 0, 'a positive number');
  }

  /** Apply each parameter's `.grad` (parameters without one are skipped). */
  step(params: Iterable<Param>): void {
    this.iterations++;
    const k = backend();
    for (const p of params) {
      const t = tensorOf(p);
      const g = t.grad;
      if (!g) continue;
      if (g.size !== t.size) throw new TensileError(this.opName, `gradient of shape ${fmt(g.shape)} does not match parameter of shape ${fmt(t.shape)}`);
      let s = this.slots.get(t);
      if (!s) this.slots.set(t, (s = this.createSlots(t.size)));
      this.update(k, t.data, g.data, s);
    }
  }

  /** Clear each parameter's gradient. */
  zeroGrad(params: Iterable<Param>): void {
    for (const p of params) tensorOf(p).grad = null;
  }

  /** The slot arrays of a parameter, in the order update() takes them (for saving optimizer state). */
  getSlots(p: Param): Float32Array[] | undefined {
    return this.slots.get(tensorOf(p));
  }
  setSlots(p: Param, slots: Float32Array[]): void {
    this.slots.set(tensorOf(p), slots);
  }

  protected abstract createSlots(n: number): Float32Array[];
  protected abstract update(k: Backend, param: Float32Array, grad: Float32Array, slots: Float32Array[]): void;
  abstract getConfig(): Record<string, unknown>;
}
