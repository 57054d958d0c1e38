import { TensileError } from '../errors.js';
import { layerNorm, layerNormAxes } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { Layer, type LayerArgs, type SymbolicShape, fmtSym, isShapeList } from './layer.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';

/** Options of tl.layers.layerNormalization. */
export interface LayerNormalizationArgs extends LayerArgs {
  /** The trailing axes normalized over: one axis or a list (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance. Default 1e-3 (Keras' default; PyTorch's is 1e-5). */
  epsilon?: number;
  /** Add beta (default true). */
  center?: boolean;
  /** Multiply by gamma (default true). */
  scale?: boolean;
  /** The initializer of beta. Default 'zeros'. */
  betaInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of gamma. Default 'ones'. */
  gammaInitializer?: InitializerIdentifier | Initializer;
}

/**
 * Keras' LayerNormalization: each sample normalized over `axis` (mean and biased variance), then ·gamma + beta
 * of those axes' shape; one fused kernel each way. Weights in Keras order: gamma, beta.
 */
export class LayerNormalization extends Layer<LayerNormalizationArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'LayerNormalization';
  static override readonly argKeys: readonly string[] = [
    'axis',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
  ];
  /** Added to the variance to avoid dividing by zero. */
  readonly epsilon: number;
  /** Whether beta is added. */
  readonly center: boolean;
  /** Whether the output is multiplied by gamma. */
  readonly scale: boolean;
  /** The axis or axes normalized over. */
  readonly axis: number | number[];
  /** The initializers of gamma and beta. */
  readonly inits: {
    /** The initializer of gamma. */
    gamma: Initializer;
    /** The initializer of beta. */
    beta: Initializer;
  };
  private gamma?: Variable;
  private beta?: Variable;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const op = 'layers.layerNormalization';
    const eps = args.epsilon ?? 1e-3;
    if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps))
      throw new TensileError(op, `epsilon must be a non-negative number, got ${String(eps)}`);
    this.epsilon = eps;
    const axis = args.axis ?? -1;
    if (!(Number.isInteger(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every(Number.isInteger))))
      throw new TensileError(
        op,
        `axis must be an integer or a non-empty list of integers, got ${JSON.stringify(axis)}`,
      );
    this.axis = typeof axis === 'number' ? axis : [...axis];
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      gamma: getInitializer(op, args.gammaInitializer ?? 'ones'),
      beta: getInitializer(op, args.betaInitializer ?? 'zeros'),
    };
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (isShapeList(inputShape)) throw new TensileError(this.name, 'takes one input, got a list');
    const axes = layerNormAxes(
      this.name,
      inputShape.map((d) => d ?? 1),
      this.axis,
    );
    const shape = axes.map((a) => inputShape[a]);
    if (shape.some((d) => d === null))
      throw new TensileError(this.name, `the normalized axes of ${fmtSym(inputShape)} must be known`);
    if (this.scale) this.gamma = this.addWeight('gamma', shape as number[], this.inits.gamma);
    if (this.center) this.beta = this.addWeight('beta', shape as number[], this.inits.beta);
  }

  call(x: Tensor): Tensor {
    return layerNorm(x, this.gamma?.value ?? null, this.beta?.value ?? null, {
      axis: this.axis,
      epsilon: this.epsilon,
      name: this.name,
    });
  }

  override getConfig(): Record<string, unknown> {
    const name = (i: Initializer) => initializerName(i) ?? 'custom';
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: name(this.inits.beta),
      gammaInitializer: name(this.inits.gamma),
    };
  }
}
registerLayer(LayerNormalization);
