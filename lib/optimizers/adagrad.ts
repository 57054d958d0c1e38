import type { UpdateRule } from '../backend/backend.js';
import { Optimizer, checkOption, optimizerOptions } from './optimizer.js';

/** Options of tl.optimizers.adagrad. */
export interface AdagradOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Starting value of the squared-gradient accumulator, default 0.1 (Keras). */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/** Adagrad as Keras: acc += g²; w −= lr·g/√(acc + ε). */
export class Adagrad extends Optimizer {
  /** The Keras class name, as saved in model.json. */
  readonly className = 'Adagrad';
  /** Starting value of the squared-gradient sums. Default 0.1. */
  readonly initialAccumulatorValue: number;
  /** Added to the variance to avoid dividing by zero. */
  readonly epsilon: number;
  /** @param options the options, or the learning rate alone. */
  constructor(options: AdagradOptions | number = {}) {
    const o = optimizerOptions('optimizers.adagrad', options, ['learningRate', 'initialAccumulatorValue', 'epsilon']);
    super('optimizers.adagrad', o.learningRate ?? 0.001);
    const op = 'optimizers.adagrad';
    this.initialAccumulatorValue = checkOption(
      op,
      'initialAccumulatorValue',
      o.initialAccumulatorValue ?? 0.1,
      (x) => x >= 0,
      'a non-negative number',
    );
    this.epsilon = checkOption(op, 'epsilon', o.epsilon ?? 1e-7, (x) => x >= 0, 'a non-negative number');
  }
  protected createSlots(n: number): Float32Array[] {
    return [new Float32Array(n).fill(this.initialAccumulatorValue)];
  }
  protected override rule(): UpdateRule {
    return { kind: 'adagrad', h: { lr: this.learningRate, epsilon: this.epsilon } };
  }
  /** The constructor arguments in the tfjs-layers spelling, for summary and save. */
  getConfig(): Record<string, unknown> {
    return {
      learningRate: this.learningRate,
      initialAccumulatorValue: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }
}
