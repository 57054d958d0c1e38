import type { UpdateRule } from '../backend/backend.js';
import { Optimizer, checkOption, optimizerOptions } from './optimizer.js';

/** Options of tl.optimizers.adam. */
export interface AdamOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (Keras). */
  epsilon?: number;
}

const ADAM_KEYS = ['learningRate', 'beta1', 'beta2', 'epsilon'];

/** Adam: w −= lr·m̂/(√v̂ + ε) with bias-corrected moments (the PyTorch and TF.js form; DESIGN §4). */
export class Adam extends Optimizer {
  /** The Keras class name, as saved in model.json. */
  readonly className: string = 'Adam';
  /** Decay of the first-moment (mean) estimate. Default 0.9. */
  readonly beta1: number;
  /** Decay of the second-moment (uncentred variance) estimate. Default 0.999. */
  readonly beta2: number;
  /** Added to the variance to avoid dividing by zero. */
  readonly epsilon: number;
  protected weightDecay = 0;
  /** @param options the options, or the learning rate alone (as tfjs: `adam(0.01)`). */
  constructor(options: AdamOptions | number = {}, opName = 'optimizers.adam', known = ADAM_KEYS) {
    const o = optimizerOptions(opName, options, known);
    super(opName, o.learningRate ?? 0.001);
    const op = this.opName;
    this.beta1 = checkOption(op, 'beta1', o.beta1 ?? 0.9, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.beta2 = checkOption(op, 'beta2', o.beta2 ?? 0.999, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.epsilon = checkOption(op, 'epsilon', o.epsilon ?? 1e-7, (x) => x >= 0, 'a non-negative number');
  }
  protected createSlots(n: number): Float32Array[] {
    return [new Float32Array(n), new Float32Array(n)];
  }
  protected override rule(t: number): UpdateRule {
    const h = {
      lr: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      t,
      weightDecay: this.weightDecay,
    };
    return { kind: 'adam', h };
  }
  /** The constructor arguments in the tfjs-layers spelling, for summary and save. */
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** Options of tl.optimizers.adamw. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay, default 0.004 (Keras). */
  weightDecay?: number;
}

/** Adam with decoupled weight decay: w −= lr·wd·w before the Adam step (Loshchilov & Hutter). */
export class AdamW extends Adam {
  /** The Keras class name, as saved in model.json. */
  override readonly className = 'AdamW';
  constructor(options: AdamWOptions | number = {}) {
    super(options, 'optimizers.adamw', [...ADAM_KEYS, 'weightDecay']);
    const o: AdamWOptions = typeof options === 'number' ? {} : options;
    this.weightDecay = checkOption(
      this.opName,
      'weightDecay',
      o.weightDecay ?? 0.004,
      (x) => x >= 0,
      'a non-negative number',
    );
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}
