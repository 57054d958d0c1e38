import type { UpdateRule } from '../backend/backend.js';
import { Optimizer, checkOption, optimizerOptions } from './optimizer.js';

/** Options of tl.optimizers.rmsprop. */
export interface RmspropOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Normalise by the centred variance (subtract the squared mean gradient). Default false. */
  centered?: boolean;
}

/** RMSprop as Keras: divide by √(running mean of g² + ε), optionally centered and with momentum. */
export class RMSprop extends Optimizer {
  /** The Keras class name, as saved in model.json. */
  readonly className = 'RMSprop';
  /** Decay of the moving average of squared gradients. Default 0.9. */
  readonly rho: number;
  /** Momentum factor (0: none). */
  readonly momentum: number;
  /** Added to the variance to avoid dividing by zero. */
  readonly epsilon: number;
  /** Normalise by the centred variance (subtract the squared mean gradient). Default false. */
  readonly centered: boolean;
  /** @param options the options, or the learning rate alone. */
  constructor(options: RmspropOptions | number = {}) {
    const o = optimizerOptions('optimizers.rmsprop', options, [
      'learningRate',
      'rho',
      'momentum',
      'epsilon',
      'centered',
    ]);
    super('optimizers.rmsprop', o.learningRate ?? 0.001);
    const op = 'optimizers.rmsprop';
    this.rho = checkOption(op, 'rho', o.rho ?? 0.9, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.momentum = checkOption(op, 'momentum', o.momentum ?? 0, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.epsilon = checkOption(op, 'epsilon', o.epsilon ?? 1e-7, (x) => x >= 0, 'a non-negative number');
    this.centered = o.centered ?? false;
  }
  protected createSlots(n: number): Float32Array[] {
    return [new Float32Array(n), new Float32Array(this.momentum > 0 ? n : 0), new Float32Array(this.centered ? n : 0)];
  }
  protected override rule(): UpdateRule {
    return {
      kind: 'rmsprop',
      h: {
        lr: this.learningRate,
        rho: this.rho,
        momentum: this.momentum,
        epsilon: this.epsilon,
        centered: this.centered,
      },
    };
  }
  /** The constructor arguments in the tfjs-layers spelling, for summary and save. */
  getConfig(): Record<string, unknown> {
    return {
      learningRate: this.learningRate,
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
