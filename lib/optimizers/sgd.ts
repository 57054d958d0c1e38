import type { UpdateRule } from '../backend/backend.js';
import { Optimizer, checkOption, optimizerOptions } from './optimizer.js';

/** Options of tl.optimizers.sgd. */
export interface SgdOptions {
  /** Default 0.01. */
  learningRate?: number;
  /** Default 0 (plain SGD). */
  momentum?: number;
  /** Use Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/** Stochastic gradient descent with optional (Nesterov) momentum, Keras' update rule. */
export class SGD extends Optimizer {
  /** The Keras class name, as saved in model.json. */
  readonly className = 'SGD';
  /** Momentum factor (0: none). */
  readonly momentum: number;
  /** Use Nesterov momentum. Default false. */
  readonly nesterov: boolean;
  /** @param options the options, or the learning rate alone (as tfjs: `sgd(0.5)`). */
  constructor(options: SgdOptions | number = {}) {
    const o = optimizerOptions('optimizers.sgd', options, ['learningRate', 'momentum', 'nesterov']);
    super('optimizers.sgd', o.learningRate ?? 0.01);
    this.momentum = checkOption(
      'optimizers.sgd',
      'momentum',
      o.momentum ?? 0,
      (x) => x >= 0 && x < 1,
      'a number in [0, 1)',
    );
    this.nesterov = o.nesterov ?? false;
  }
  protected createSlots(n: number): Float32Array[] {
    return [new Float32Array(this.momentum > 0 ? n : 0)];
  }
  protected override rule(): UpdateRule {
    return { kind: 'sgd', h: { lr: this.learningRate, momentum: this.momentum, nesterov: this.nesterov } };
  }
  /** The constructor arguments in the tfjs-layers spelling, for summary and save. */
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}
