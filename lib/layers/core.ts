import { TensileError } from '../errors.js';
import { dropout, reshape } from '../ops/index.js';
import { fmt, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type ActivationFn, type ActivationIdentifier, getActivation } from './activations.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape, fmtSym } from './layer.js';
import { registerLayer } from './registry.js';

// The small weightless layers: Activation, Dropout, Flatten, Reshape.

/** Options of tl.layers.activation. */
export interface ActivationArgs extends LayerArgs {
  /** The activation applied to the output. */
  activation: ActivationIdentifier;
}

/** Applies an activation function. */
export class Activation extends Layer<ActivationArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Activation';
  static override readonly argKeys: readonly string[] = ['activation'];
  /** The activation applied to the output. */
  readonly activation: {
    /** Its name, as saved ('relu', ...). */
    name: string;
    /** The function. */
    fn: ActivationFn;
  };
  constructor(args: ActivationArgs) {
    super(args);
    this.activation = getActivation('layers.activation', args.activation);
  }
  get activationName(): string {
    return this.activation.name;
  }
  call(x: Tensor): Tensor {
    return this.activation.fn(x);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation.name };
  }
}
registerLayer(Activation);

/** Options of tl.layers.dropout. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of inputs to drop, in [0, 1). */
  rate: number;
  /** Seed of the dropout masks (default: tensile's random source). */
  seed?: number;
}

/** Zeroes a random fraction `rate` of inputs during training and scales the rest by 1/(1 − rate); identity in inference. */
export class Dropout extends Layer<DropoutArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Dropout';
  static override readonly argKeys: readonly string[] = ['rate', 'seed'];
  /** Fraction of the input units dropped in training, in [0, 1). */
  readonly rate: number;
  constructor(args: DropoutArgs) {
    super(args);
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1))
      throw new TensileError('layers.dropout', `rate must be a number in [0, 1), got ${String(args.rate)}`);
    this.rate = args.rate;
  }
  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    return dropout(x, this.rate);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}
registerLayer(Dropout);

/** Flattens each sample to one axis: [batch, ...] → [batch, product]. */
export class Flatten extends Layer {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Flatten';
  static override readonly argKeys: readonly string[] = [];
  call(x: Tensor): Tensor {
    if (x.rank < 1) throw new TensileError(this.name, 'expected an input with a batch axis, got a scalar');
    return reshape(x, [x.shape[0], sizeOf(x.shape.slice(1))]);
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const rest = s.slice(1);
    return [s[0], rest.some((d) => d === null) ? null : sizeOf(rest as number[])];
  }
}
registerLayer(Flatten);

/** Options of tl.layers.reshape. */
export interface ReshapeArgs extends LayerArgs {
  /** Shape of one sample after reshaping (one entry may be -1). */
  targetShape: readonly number[];
}

/** Reshapes each sample to targetShape. */
export class Reshape extends Layer<ReshapeArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Reshape';
  static override readonly argKeys: readonly string[] = ['targetShape'];
  constructor(args: ReshapeArgs) {
    super(args);
    if (!Array.isArray(args.targetShape) || args.targetShape.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)))
      throw new TensileError(
        'layers.reshape',
        `targetShape must be positive integers (one may be -1), got ${String(args.targetShape)}`,
      );
    if (args.targetShape.filter((d) => d === -1).length > 1)
      throw new TensileError(
        'layers.reshape',
        `targetShape may have only one -1 (unknown dimension), got [${args.targetShape.join(', ')}]`,
      );
  }
  call(x: Tensor): Tensor {
    const sample = sizeOf(x.shape.slice(1));
    const target = this.resolve(sample);
    if (!target)
      throw new TensileError(
        this.name,
        `cannot reshape input ${fmt(x.shape)} to [batch, ${this.args.targetShape.join(', ')}]`,
      );
    return reshape(x, [x.shape[0], ...target]);
  }
  private resolve(sample: number): number[] | null {
    const t = [...this.args.targetShape];
    const known = t.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const i = t.indexOf(-1);
    if (i >= 0) {
      if (sample % known !== 0) return null;
      t[i] = sample / known;
    }
    return sizeOf(t) === sample ? t : null;
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const rest = s.slice(1);
    if (rest.some((d) => d === null)) return [s[0], ...this.args.targetShape];
    const t = this.resolve(sizeOf(rest as number[]));
    if (!t)
      throw new TensileError(
        this.name,
        `cannot reshape input ${fmtSym(s)} to [batch, ${this.args.targetShape.join(', ')}]`,
      );
    return [s[0], ...t];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.args.targetShape] };
  }
}
registerLayer(Reshape);
