import { TensileError } from '../errors.js';
import { clip, greater, mul, neg, relu, scalar, softmax, sub, where } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { elu } from './activations.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';

// The activation layers of Keras (tfjs-layers' advanced activations): LeakyReLU, PReLU, ELU, ReLU, Softmax.

const nonNegative = (op: string, name: string, v: unknown, fallback: number): number => {
  const x = v ?? fallback;
  if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x))
    throw new TensileError(op, `${name} must be a non-negative number, got ${String(x)}`);
  return x;
};

/** Options of tl.layers.leakyReLU. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3, Keras'). */
  alpha?: number;
}
/** x for x > 0, alpha·x otherwise. */
export class LeakyReLU extends Layer<LeakyReLUArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'LeakyReLU';
  static override readonly argKeys: readonly string[] = ['alpha'];
  /** Slope of the output for negative inputs. */
  readonly alpha: number;
  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.alpha = nonNegative('layers.leakyReLU', 'alpha', args.alpha, 0.3);
  }
  call(x: Tensor): Tensor {
    return where(greater(x, scalar(0)), x, mul(x, scalar(this.alpha)));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerLayer(LeakyReLU);

/** Options of tl.layers.elu. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part: alpha·(eˣ − 1) (default 1). */
  alpha?: number;
}
/** x for x > 0, alpha·(eˣ − 1) otherwise. */
export class ELU extends Layer<ELUArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'ELU';
  static override readonly argKeys: readonly string[] = ['alpha'];
  /** Scale of the negative part, alpha·(eˣ − 1). */
  readonly alpha: number;
  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = nonNegative('layers.elu', 'alpha', args.alpha, 1);
  }
  call(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerLayer(ELU);

/** Options of tl.layers.reLU. */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (default none). */
  maxValue?: number | null;
}
/** max(x, 0), capped at maxValue when given. */
export class ReLU extends Layer<ReLUArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'ReLU';
  static override readonly argKeys: readonly string[] = ['maxValue'];
  /** Upper bound of the output, or null for none. */
  readonly maxValue: number | null;
  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = args.maxValue == null ? null : nonNegative('layers.reLU', 'maxValue', args.maxValue, 0);
  }
  call(x: Tensor): Tensor {
    return this.maxValue === null ? relu(x) : clip(x, 0, this.maxValue);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue };
  }
}
registerLayer(ReLU);

/** Options of tl.layers.softmax. */
export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized over (default -1). */
  axis?: number;
}
/** Softmax along an axis. */
export class Softmax extends Layer<SoftmaxArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Softmax';
  static override readonly argKeys: readonly string[] = ['axis'];
  /** The axis the softmax normalizes over. */
  readonly axis: number;
  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis))
      throw new TensileError('layers.softmax', `axis must be an integer, got ${String(axis)}`);
    this.axis = axis;
  }
  call(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerLayer(Softmax);

/** Options of tl.layers.prelu. */
export interface PReLUArgs extends LayerArgs {
  /** The initializer of the learned slopes alpha. Default 'zeros'. */
  alphaInitializer?: InitializerIdentifier | Initializer;
  /** Axes (1-based, of the input with its batch axis) along which alpha is shared, e.g. [1, 2] for images. */
  sharedAxes?: number | readonly number[] | null;
}
/** Leaky ReLU with a learned slope per element (relu(x) − alpha·relu(−x)); Keras' weight: alpha. */
export class PReLU extends Layer<PReLUArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'PReLU';
  static override readonly argKeys: readonly string[] = ['alphaInitializer', 'sharedAxes'];
  /** The initializer of the learned slopes alpha. */
  readonly alphaInit: Initializer;
  /** Axes along which alpha is shared (one slope across each), or null for a slope per element. */
  readonly sharedAxes: number[] | null;
  private alpha!: Variable;
  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInit = getInitializer('layers.prelu', args.alphaInitializer ?? 'zeros');
    const s = args.sharedAxes;
    this.sharedAxes = s == null ? null : typeof s === 'number' ? [s] : [...s];
    if (this.sharedAxes?.some((a) => !Number.isInteger(a) || a < 1))
      throw new TensileError(
        'layers.prelu',
        `sharedAxes must be axes ≥ 1 of the input (0 is the batch), got ${JSON.stringify(s)}`,
      );
  }
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = inputShape as SymbolicShape;
    const shape = s.slice(1).map((d, i) => (this.sharedAxes?.includes(i + 1) ? 1 : d));
    if (shape.some((d) => d === null))
      throw new TensileError(this.name, `needs known dimensions outside sharedAxes, got [${s.join(', ')}]`);
    this.alpha = this.addWeight('alpha', shape as number[], this.alphaInit);
  }
  call(x: Tensor): Tensor {
    return sub(relu(x), mul(this.alpha.value, relu(neg(x))));
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: initializerName(this.alphaInit) ?? 'custom',
      sharedAxes: this.sharedAxes,
    };
  }
}
registerLayer(PReLU);
