import { TensileError } from '../errors.js';
import { batchNorm, batchNormTraining, updateMovingAverage } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape, fmtSym } from './layer.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';

/** Options of tl.layers.batchNormalization. */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis; only the last (-1, the default, or its positive index). */
  axis?: number | readonly number[];
  /** Moving averages: m = momentum·m + (1 − momentum)·batch. Default 0.99. */
  momentum?: number;
  /** Default 1e-3. */
  epsilon?: number;
  /** Add beta (default true). */
  center?: boolean;
  /** Multiply by gamma (default true). */
  scale?: boolean;
  /** The initializer of beta. Default 'zeros'. */
  betaInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of gamma. Default 'ones'. */
  gammaInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the moving mean. Default 'zeros'. */
  movingMeanInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the moving variance. Default 'ones'. */
  movingVarianceInitializer?: InitializerIdentifier | Initializer;
}

/**
 * Keras' BatchNormalization over the last axis: batch statistics in training (updating the moving averages),
 * the moving averages in inference (and whenever the layer is frozen, as Keras 2+). Weights in Keras order:
 * gamma, beta (trainable), movingMean, movingVariance (never trainable).
 */
export class BatchNormalization extends Layer<BatchNormalizationArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'BatchNormalization';
  static override readonly argKeys: readonly string[] = [
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'movingMeanInitializer',
    'movingVarianceInitializer',
  ];
  /** Weight of the old value in the moving statistics' update (Keras 0.99). */
  readonly momentum: number;
  /** Added to the variance to avoid dividing by zero. */
  readonly epsilon: number;
  /** Add the learned offset beta. */
  readonly center: boolean;
  /** Multiply by the learned gamma. */
  readonly scale: boolean;
  /** The initializers of the layer's weights. */
  readonly inits: {
    /** Of gamma. */ gamma: Initializer;
    /** Of beta. */ beta: Initializer;
    /** Of the moving mean. */ movingMean: Initializer;
    /** Of the moving variance. */ movingVariance: Initializer;
  };
  /** The learned scale. */
  private gamma?: Variable;
  /** The learned offset. */
  private beta?: Variable;
  /** The moving mean used at inference. */
  private movingMean!: Variable;
  /** The moving variance used at inference. */
  private movingVariance!: Variable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const op = 'layers.batchNormalization';
    const num = (name: string, v: unknown, fallback: number, ok: (x: number) => boolean, what: string) => {
      const x = v ?? fallback;
      if (typeof x !== 'number' || !ok(x)) throw new TensileError(op, `${name} must be ${what}, got ${String(x)}`);
      return x;
    };
    this.momentum = num('momentum', args.momentum, 0.99, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
    this.epsilon = num('epsilon', args.epsilon, 1e-3, (x) => x > 0, 'a positive number');
    const axis = Array.isArray(args.axis) ? (args.axis.length === 1 ? args.axis[0] : NaN) : (args.axis ?? -1);
    if (!Number.isInteger(axis))
      throw new TensileError(op, `axis must be one integer (the last axis), got ${JSON.stringify(args.axis)}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      gamma: getInitializer(op, args.gammaInitializer ?? 'ones'),
      beta: getInitializer(op, args.betaInitializer ?? 'zeros'),
      movingMean: getInitializer(op, args.movingMeanInitializer ?? 'zeros'),
      movingVariance: getInitializer(op, args.movingVarianceInitializer ?? 'ones'),
    };
  }

  private get axis(): number {
    const a = this.args.axis;
    return Array.isArray(a) ? a[0] : ((a as number | undefined) ?? -1);
  }

  override build(inputShape: SymbolicShape): void {
    const c = this.lastDim(inputShape);
    if (this.axis !== -1 && this.axis !== inputShape.length - 1)
      throw new TensileError(
        this.name,
        `only the last axis can be normalized (channels-last); axis ${this.axis} of input ${fmtSym(inputShape)} is not`,
      );
    if (this.scale) this.gamma = this.addWeight('gamma', [c], this.inits.gamma);
    if (this.center) this.beta = this.addWeight('beta', [c], this.inits.beta);
    this.movingMean = this.addWeight('moving_mean', [c], this.inits.movingMean, false);
    this.movingVariance = this.addWeight('moving_variance', [c], this.inits.movingVariance, false);
  }

  override get trainable(): boolean {
    return super.trainable;
  }
  /** Freezing or unfreezing touches gamma and beta only: the moving statistics are never trained. */
  override set trainable(t: boolean) {
    super.trainable = t;
    for (const v of [this.movingMean, this.movingVariance]) if (v) v.trainable = false;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const c = this.movingMean.shape[0];
    if (x.rank < 2 || x.shape[x.rank - 1] !== c)
      throw new TensileError(
        this.name,
        `expected an input whose last dimension is ${c}, got shape [${x.shape.join(', ')}]`,
      );
    const gamma = this.gamma?.value ?? null,
      beta = this.beta?.value ?? null;
    if (!ctx.training || !this.trainable)
      return batchNorm(x, this.movingMean.value, this.movingVariance.value, gamma, beta, this.epsilon);
    // One fused kernel each way: the batch statistics, the normalized output, and the gradient through both.
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.epsilon, this.name);
    updateMovingAverage(this.movingMean.value, mean, this.momentum);
    updateMovingAverage(this.movingVariance.value, variance, this.momentum);
    return y;
  }

  override getConfig(): Record<string, unknown> {
    const name = (i: Initializer) => initializerName(i) ?? 'custom';
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: name(this.inits.beta),
      gammaInitializer: name(this.inits.gamma),
      movingMeanInitializer: name(this.inits.movingMean),
      movingVarianceInitializer: name(this.inits.movingVariance),
    };
  }
}
registerLayer(BatchNormalization);
