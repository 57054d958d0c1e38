import { backend } from '../backend/index.js';
import type { Backend, UpdateRule } from '../backend/backend.js';
import { TensileError } from '../errors.js';
import { optionsObject } from '../internal/names.js';
import { Variable } from '../layers/variable.js';
import { fmt } from '../tensor/shape.js';
import { hostWritten } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';

export type Param = Tensor | Variable;
const tensorOf = (p: Param): Tensor => (p instanceof Variable ? p.value : p);

/** Throws unless v is a finite number satisfying the check; names the optimizer and the option. */
export function checkOption(
  op: string,
  name: string,
  v: unknown,
  ok: (x: number) => boolean,
  expected: string,
): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
    throw new TensileError(op, `${name} must be ${expected}, got ${String(v)}`);
  return v;
}

/**
 * An optimizer's options: an object whose keys are checked (a typo is a TensileError with a hint), or, as
 * tfjs passes it, the learning rate alone: `adam(0.01)`.
 */
export function optimizerOptions<T extends { learningRate?: number }>(
  op: string,
  o: T | number | undefined,
  known: readonly string[],
): T {
  if (typeof o === 'number') return { learningRate: o } as T;
  return optionsObject(op, o, known, '{ learningRate: 0.01 }');
}

/**
 * The base of every optimizer: slots (m, v, …) are created lazily per parameter, and each
 * parameter is updated by one fused backend kernel that writes it in place.
 * @example
 * const opt = tl.optimizers.sgd({ learningRate: 0.1 }); loss.backward(); opt.step([w, b]); opt.zeroGrad([w, b]);
 */
export abstract class Optimizer {
  /** The Keras class name, as saved in model.json. */
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
      if (g.size !== t.size)
        throw new TensileError(
          this.opName,
          `gradient of shape ${fmt(g.shape)} does not match parameter of shape ${fmt(t.shape)}`,
        );
      this.update(k, t.raw, g.raw, this.slotsFor(p));
      if (p instanceof Variable && p.constraint) {
        p.constraint.apply(t.data, t.shape);
        hostWritten(t.raw);
      }
    }
  }

  /**
   * @internal The next step's update as data (t = iterations + 1), for kernels that run several steps in one call
   * and then add them to `iterations`; null when a subclass's own update() does the arithmetic.
   */
  fusedRule(): UpdateRule | null {
    return this.update === Optimizer.prototype.update ? this.rule(this.iterations + 1) : null;
  }

  /** @internal The slot arrays of a parameter, created on first use (what update() receives). */
  slotsFor(p: Param): Float32Array[] {
    const t = tensorOf(p);
    let s = this.slots.get(t);
    if (!s) this.slots.set(t, (s = this.createSlots(t.size)));
    return s;
  }

  /** Clear each parameter's gradient. */
  zeroGrad(params: Iterable<Param>): void {
    for (const p of params) tensorOf(p).grad = null;
  }

  /** The slot arrays of a parameter, in the order update() takes them (for saving optimizer state). */
  getSlots(p: Param): Float32Array[] | undefined {
    return this.slots.get(tensorOf(p));
  }
  /** Replace the optimizer state of a variable (loading a saved optimizer). */
  setSlots(p: Param, slots: Float32Array[]): void {
    this.slots.set(tensorOf(p), slots);
  }

  protected abstract createSlots(n: number): Float32Array[];

  /** The update rule with this step's t, for the built-in optimizers; a subclass implements rule() or update(). */
  protected rule(_t: number): UpdateRule | null {
    return null;
  }

  /** One parameter's update in place: the rule's fused kernel. */
  protected update(k: Backend, param: Float32Array, grad: Float32Array, s: Float32Array[]): void {
    const r = this.rule(this.iterations);
    if (!r) throw new TensileError(this.opName, 'an Optimizer subclass must implement update() or rule()');
    if (r.kind === 'adam') k.adamUpdate(param, grad, s[0], s[1], r.h);
    else if (r.kind === 'sgd') k.sgdUpdate(param, grad, s[0], r.h);
    else if (r.kind === 'rmsprop') k.rmspropUpdate(param, grad, s[0], s[1], s[2], r.h);
    else k.adagradUpdate(param, grad, s[0], r.h);
  }
  /** The options in the tfjs spelling, as saved with the model. */
  abstract getConfig(): Record<string, unknown>;
}
