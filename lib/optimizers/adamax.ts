import type { Backend } from '../backend/backend.js';
import { hostWritten, syncHost } from '../tensor/storage.js';
import { Optimizer, checkOption, optimizerOptions } from './optimizer.js';

/** Options of tl.optimizers.adamax. */
export interface AdamaxOptions {
  /** Default 0.002 (tfjs' tf.train.adamax takes 0.002 in its examples; Keras' default is 0.001). */
  learningRate?: number;
  /** Decay of the first moment, default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Learning-rate decay per step, lr / (1 + decay·t), as tfjs' adamax. Default 0. */
  decay?: number;
}

/**
 * Adamax (Adam with the infinity norm) as tfjs and Keras: m = β1·m + (1−β1)·g; u = max(β2·u, |g|);
 * w −= lr/(1−β1^t) · m/(u + ε).
 * @example model.compile({ optimizer: tl.optimizers.adamax({ learningRate: 0.002 }), loss: 'mse' })
 */
export class Adamax extends Optimizer {
  /** The Keras class name, as saved in model.json. */
  readonly className = 'Adamax';
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the infinity norm. */
  readonly beta2: number;
  /** Added to the infinity norm to avoid dividing by zero. */
  readonly epsilon: number;
  /** Learning-rate decay per step. */
  readonly decay: number;
  /** @param options the options, or the learning rate alone. */
  constructor(options: AdamaxOptions | number = {}) {
    const op = 'optimizers.adamax';
    const o = optimizerOptions(op, options, ['learningRate', 'beta1', 'beta2', 'epsilon', 'decay']);
    super(op, o.learningRate ?? 0.002);
    const unit = (x: number) => x >= 0 && x < 1;
    this.beta1 = checkOption(op, 'beta1', o.beta1 ?? 0.9, unit, 'a number in [0, 1)');
    this.beta2 = checkOption(op, 'beta2', o.beta2 ?? 0.999, unit, 'a number in [0, 1)');
    this.epsilon = checkOption(op, 'epsilon', o.epsilon ?? 1e-7, (x) => x >= 0, 'a non-negative number');
    this.decay = checkOption(op, 'decay', o.decay ?? 0, (x) => x >= 0, 'a non-negative number');
  }
  protected createSlots(n: number): Float32Array[] {
    return [new Float32Array(n), new Float32Array(n)];
  }
  /** One parameter's update on the host (no fused kernel: a loop over the values). */
  protected override update(_k: Backend, param: Float32Array, grad: Float32Array, [m, u]: Float32Array[]): void {
    const w = syncHost(param),
      g = syncHost(grad);
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const t = this.iterations;
    const lr = this.learningRate / (1 + this.decay * (t - 1)) / (1 - b1 ** t);
    for (let i = 0; i < w.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
      w[i] -= (lr * m[i]) / (u[i] + eps);
    }
    hostWritten(param);
  }
  /** The constructor arguments in the tfjs-layers spelling, for summary and save. */
  getConfig(): Record<string, unknown> {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      decay: this.decay,
    };
  }
}
