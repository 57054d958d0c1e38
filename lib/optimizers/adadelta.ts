import type { Backend } from '../backend/backend.js';
import { hostWritten, syncHost } from '../tensor/storage.js';
import { Optimizer, checkOption, optimizerOptions } from './optimizer.js';

/** Options of tl.optimizers.adadelta. */
export interface AdadeltaOptions {
  /** Default 0.001 (Keras; tfjs' tf.train.adadelta also defaults to 0.001). */
  learningRate?: number;
  /** Decay of the running averages, default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Adadelta as Keras and tfjs: E[g²] = ρ·E[g²] + (1−ρ)·g²; Δ = √(E[Δ²] + ε)/√(E[g²] + ε)·g;
 * E[Δ²] = ρ·E[Δ²] + (1−ρ)·Δ²; w −= lr·Δ.
 * @example model.compile({ optimizer: tl.optimizers.adadelta({ learningRate: 1 }), loss: 'mse' })
 */
export class Adadelta extends Optimizer {
  /** The Keras class name, as saved in model.json. */
  readonly className = 'Adadelta';
  /** Decay of the running averages. */
  readonly rho: number;
  /** Added under the square roots. */
  readonly epsilon: number;
  /** @param options the options, or the learning rate alone. */
  constructor(options: AdadeltaOptions | number = {}) {
    const op = 'optimizers.adadelta';
    const o = optimizerOptions(op, options, ['learningRate', 'rho', 'epsilon']);
    super(op, o.learningRate ?? 0.001);
    this.rho = checkOption(op, 'rho', o.rho ?? 0.95, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
    this.epsilon = checkOption(op, 'epsilon', o.epsilon ?? 1e-7, (x) => x >= 0, 'a non-negative number');
  }
  protected createSlots(n: number): Float32Array[] {
    return [new Float32Array(n), new Float32Array(n)];
  }
  /** One parameter's update on the host (no fused kernel: a loop over the values). */
  protected override update(
    _k: Backend,
    param: Float32Array,
    grad: Float32Array,
    [accGrad, accDelta]: Float32Array[],
  ): void {
    const w = syncHost(param),
      g = syncHost(grad);
    const { rho, epsilon: eps, learningRate: lr } = this;
    for (let i = 0; i < w.length; i++) {
      accGrad[i] = rho * accGrad[i] + (1 - rho) * g[i] * g[i];
      const delta = (Math.sqrt(accDelta[i] + eps) / Math.sqrt(accGrad[i] + eps)) * g[i];
      accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
      w[i] -= lr * delta;
    }
    hostWritten(param);
  }
  /** The constructor arguments in the tfjs-layers spelling, for summary and save. */
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }
}
