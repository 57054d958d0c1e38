import type { UpdateRule } from '../backend/backend.js';
import { Optimizer, checkOption, optimizerOptions } from './optimizer.js';

export interface SgdOptions {
  /** Default 0.01. */
  learningRate?: number;
  /** Default 0 (plain SGD). */
  momentum?: number;
  nesterov?: boolean;
}

/** Stochastic gradient descent with optional (Nesterov) momentum, Keras' update rule. */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  /** @param options the options, or the learning rate alone (as tfjs: `sgd(0.5)`). */
  constructor(options: SgdOptions | number = {}) {
    const o = optimizerOptions('optimizers.sgd', options, ['learningRate', 'momentum', 'nesterov']);
    super('optimizers.sgd', o.learningRate ?? 0.01);
    this.momentum = checkOption('optimizers.sgd', 'momentum', o.momentum ?? 0, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.nesterov = o.nesterov ?? false;
  }
  protected createSlots(n: number): Float32Array[] {
    return [new Float32Array(this.momentum > 0 ? n : 0)];
  }
  protected override rule(): UpdateRule {
    return { kind: 'sgd', h: { lr: this.learningRate, momentum: this.momentum, nesterov: this.nesterov } };
  }
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}
