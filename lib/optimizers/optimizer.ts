import { backend } from '../backend/index.js';
import type { Backend, UpdateRule } from '../backend/backend.js';
import { RULE_LENGTH, encodeRule } from '../backend/update-rule.js';
import { TensileError } from '../errors.js';
import { optionsObject } from '../internal/names.js';
import { Variable } from '../layers/variable.js';
import { fmt } from '../tensor/shape.js';
import { hostWritten } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';

export type Param = Tensor | Variable;
const tensorOf = (p: Param): Tensor => (p instanceof Variable ? p.value : p);
/** A slot the rule does not use. */
const NO_SLOT = new Float32Array(0);

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
  /** @internal This step's rule as numbers (backend/update-rule.ts), rewritten by each beginStep. */
  readonly liveRule = new Float64Array(RULE_LENGTH);
  private hasRule = false;
  /** @internal Counts slot arrays created or replaced: a compiled step holding them replans when it changes. */
  slotsVersion = 0;

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
    this.beginStep();
    this.applyUpdates(params);
  }

  /**
   * @internal A step's start: iterations + 1, and the new step's rule written into liveRule (what the update
   * kernels read when they run).
   */
  beginStep(): void {
    this.iterations++;
    const r = this.rule(this.iterations);
    this.hasRule = r !== null;
    if (r) encodeRule(r, this.liveRule);
  }

  /** @internal The updates of a step begun by beginStep: each parameter's `.grad` applied, its constraint after. */
  applyUpdates(params: Iterable<Param>): void {
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
   * @internal Whether a compiled step can run the updates of params inside its plan (beginStep before it,
   * applyUpdates in it): each is the rule's kernel (Backend.applyUpdate on liveRule), not a subclass's own update()
   * or step(), and no parameter has a constraint (JavaScript on its values).
   */
  updatesInPlan(params: readonly Param[]): boolean {
    return (
      this.update === Optimizer.prototype.update &&
      this.step === Optimizer.prototype.step &&
      !params.some((p) => p instanceof Variable && p.constraint)
    );
  }

  /** @internal The slot arrays of a parameter, created on first use (what update() receives). */
  slotsFor(p: Param): Float32Array[] {
    const t = tensorOf(p);
    let s = this.slots.get(t);
    if (!s) {
      this.slots.set(t, (s = this.createSlots(t.size)));
      this.slotsVersion++;
    }
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
    this.slotsVersion++;
  }

  protected abstract createSlots(n: number): Float32Array[];

  /** The update rule with this step's t, for the built-in optimizers; a subclass implements rule() or update(). */
  protected rule(_t: number): UpdateRule | null {
    return null;
  }

  /** One parameter's update in place: the rule's fused kernel, reading the rule beginStep wrote. */
  protected update(k: Backend, param: Float32Array, grad: Float32Array, s: Float32Array[]): void {
    if (!this.hasRule) throw new TensileError(this.opName, 'an Optimizer subclass must implement update() or rule()');
    k.applyUpdate(this.liveRule, param, grad, s[0] ?? NO_SLOT, s[1] ?? NO_SLOT, s[2] ?? NO_SLOT);
  }
  /** The options in the tfjs spelling, as saved with the model. */
  abstract getConfig(): Record<string, unknown>;
}
