import { type ConstraintArg, type WeightConstraints, constraintConfig, getConstraint } from '../constraints/index.js';
import { DENSE_ACTIVATIONS, type DenseActivation } from '../backend/kinds.js';
import { TensileError } from '../errors.js';
import { conv2d, reshape } from '../ops/index.js';
import { type Padding, checkPadding, sizes, axisGeometry } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ActivationFn, type ActivationIdentifier, getActivation } from './activations.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape, fmtSym } from './layer.js';
import { type RegularizerArg, regularizerConfig, regularizersOf } from './regularized.js';
import { registerLayer } from './registry.js';
import type { Regularizer } from '../regularizers/index.js';
import type { Variable } from './variable.js';

// Conv2D and Conv1D (a Conv2D over a height of 1), channels-last, Keras semantics, and what the other convolution
// layers share with them (conv-transpose.ts, conv-depthwise.ts).

/** Options of tl.layers.conv2d and tl.layers.conv1d. */
export interface ConvArgs extends LayerArgs {
  /** The number of output channels. */
  filters: number;
  /** Window size: one number for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** Default 'valid'. */
  padding?: Padding;
  /** Only 'channelsLast' (NHWC). */
  dataFormat?: 'channelsLast';
  /** Default 1; strides and dilation may not both exceed 1. */
  dilationRate?: number | readonly number[];
  /** The activation applied to the output. */
  activation?: ActivationIdentifier | null;
  /** Whether the layer adds a bias vector. */
  useBias?: boolean;
  /** The initializer of the kernel. Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the bias. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | Initializer;
  /** Penalties added to the loss (tl.regularizers.*); the activity one on the output, divided by the batch size. */
  kernelRegularizer?: RegularizerArg;
  /** Penalty on the bias added to the loss. */
  biasRegularizer?: RegularizerArg;
  /** Penalty on the layer's output added to the loss (divided by the batch size, as Keras 2). */
  activityRegularizer?: RegularizerArg;
  /** Projects the kernel after each optimizer step (tl.constraints.maxNorm/unitNorm/nonNeg/minMaxNorm, or a name). */
  kernelConstraint?: ConstraintArg;
  /** Projects the bias after each optimizer step. */
  biasConstraint?: ConstraintArg;
}
/** The regularizer options of the layer. */
export const CONV_REGULARIZERS = ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'] as const;

/** The window options both conv layers take, checked and resolved once (names as the user typed them). */
interface WindowOptions {
  /** The size of the convolution window along each spatial dimension. */
  kernelSize: number[];
  /** The step of the window along each spatial dimension. */
  strides: number[];
  /** The spacing between the window's taps along each spatial dimension. */
  dilationRate: number[];
  /** 'valid' (no padding) or 'same' (the output keeps the input's size at stride 1). */
  padding: Padding;
}
/** @internal */
export function windowOptions(
  op: string,
  args: Pick<ConvArgs, 'kernelSize' | 'strides' | 'dilationRate' | 'padding' | 'dataFormat'>,
  rank: 1 | 2,
): WindowOptions {
  if (args.dataFormat !== undefined && args.dataFormat !== 'channelsLast')
    throw new TensileError(
      op,
      `dataFormat must be 'channelsLast' (tensile is channels-last), got ${JSON.stringify(args.dataFormat)}`,
    );
  const kernelSize = sizes(op, 'kernelSize', args.kernelSize, rank);
  const strides = sizes(op, 'strides', args.strides ?? 1, rank);
  const dilationRate = sizes(op, 'dilationRate', args.dilationRate ?? 1, rank);
  if (strides.some((s) => s > 1) && dilationRate.some((d) => d > 1))
    throw new TensileError(
      op,
      `strides [${strides.join(', ')}] and dilationRate [${dilationRate.join(', ')}] cannot both exceed 1`,
    );
  return { kernelSize, strides, dilationRate, padding: checkPadding(op, args.padding ?? 'valid') };
}

/** @internal */
export function positiveInteger(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new TensileError(op, `${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** The input's channels, checked: rank = spatial rank + 2 (with the batch axis). */
export function knownChannels(layer: string, inputShape: SymbolicShape, rank: 1 | 2): number {
  const c = inputShape[inputShape.length - 1];
  if (inputShape.length !== rank + 2 || c === null)
    throw new TensileError(
      layer,
      `expected an input of rank ${rank + 2} [batch, ${rank === 2 ? 'height, width' : 'steps'}, channels] with known channels, got shape ${fmtSym(inputShape)}`,
    );
  return c;
}

/** The output's spatial sizes for a window over the input's (null stays null). */
/** @internal */
export function spatialOutput(layer: string, inputShape: SymbolicShape, w: WindowOptions): (number | null)[] {
  return inputShape.slice(1, -1).map((size, i) => {
    if (size === null) return null;
    const g = axisGeometry(size, w.kernelSize[i], w.strides[i], w.dilationRate[i], w.padding);
    if (!g)
      throw new TensileError(
        layer,
        `the kernel [${w.kernelSize.join(', ')}] is larger than the input ${fmtSym(inputShape)} with padding '${w.padding}'; use padding 'same' or a smaller kernel`,
      );
    return g.out;
  });
}

/** The activation a conv kernel applies itself, and what is left to apply after it (null: nothing). */
/** @internal */
export function fusedActivation(activation: { name: string; fn: ActivationFn }): {
  fused: DenseActivation;
  after: ActivationFn | null;
} {
  return (DENSE_ACTIVATIONS as readonly string[]).includes(activation.name)
    ? { fused: activation.name as DenseActivation, after: null }
    : { fused: 'linear', after: activation.fn };
}

/** The window and activation entries of a conv layer's Keras config (dilationRate a number for 1-D layers, as Keras writes it). */
type WindowedLayer = Pick<Conv, 'kernelSize' | 'strides' | 'dilationRate' | 'padding' | 'useBias' | 'activation'>;
/** @internal */
export function windowConfig(l: WindowedLayer, rank: 1 | 2 = 2) {
  return {
    kernelSize: [...l.kernelSize],
    strides: [...l.strides],
    padding: l.padding,
    dataFormat: 'channelsLast',
    dilationRate: rank === 1 ? l.dilationRate[0] : [...l.dilationRate],
    activation: l.activation.name,
    useBias: l.useBias,
  };
}

/** What Conv1D, Conv2D and Conv2DTranspose share: arguments resolved in the constructor, a kernel and a bias, the config. */
export abstract class Conv extends Layer<ConvArgs> {
  static override readonly argKeys: readonly string[] = [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'kernelInitializer',
    'biasInitializer',
    ...CONV_REGULARIZERS,
    'kernelConstraint',
    'biasConstraint',
  ];
  /** The number of spatial dimensions: 1 or 2. */
  abstract readonly rank: 1 | 2;
  /** The number of output channels. */
  readonly filters: number;
  /** The size of the convolution window along each spatial dimension. */
  readonly kernelSize: number[];
  /** The step of the window along each spatial dimension. */
  readonly strides: number[];
  /** The spacing between the window's taps along each spatial dimension. */
  readonly dilationRate: number[];
  /** 'valid' (no padding) or 'same' (the output keeps the input's size at stride 1). */
  readonly padding: Padding;
  /** Whether the layer adds a bias vector. */
  readonly useBias: boolean;
  /** The activation applied to the output. */
  readonly activation: {
    /** Its name, as saved ('relu', ...). */
    name: string;
    /** The function. */
    fn: ActivationFn;
  };
  /** The initializer of the kernel. */
  readonly kernelInit: Initializer;
  /** The initializer of the bias. */
  readonly biasInit: Initializer;
  /** The regularizers given, by option name. */
  readonly regularizers: Partial<Record<(typeof CONV_REGULARIZERS)[number], Regularizer>>;
  /** The constraints given, by weight. */
  readonly constraints: WeightConstraints;
  protected kernel!: Variable;
  protected bias?: Variable;

  constructor(args: ConvArgs, rank: 1 | 2, op = `layers.${rank === 2 ? 'conv2d' : 'conv1d'}`) {
    super(args);
    this.filters = positiveInteger(op, 'filters', args.filters);
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      dilationRate: this.dilationRate,
      padding: this.padding,
    } = windowOptions(op, args, rank));
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(op, args.activation);
    this.kernelInit = getInitializer(op, args.kernelInitializer ?? 'glorotUniform');
    this.biasInit = getInitializer(op, args.biasInitializer ?? 'zeros');
    this.regularizers = regularizersOf(op, args, CONV_REGULARIZERS);
    this.activityRegularizer = this.regularizers.activityRegularizer;
    this.constraints = {
      kernel: getConstraint(op, args.kernelConstraint),
      bias: getConstraint(op, args.biasConstraint),
    };
  }

  protected channels(inputShape: SymbolicShape): number {
    return knownChannels(this.name, inputShape, this.rank);
  }

  override build(inputShape: SymbolicShape): void {
    // Keras' fans for a conv kernel: fanIn = window·in, fanOut = window·filters (initializers.ts#fans).
    const { kernelRegularizer, biasRegularizer } = this.regularizers;
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, this.channels(inputShape), this.filters],
      this.kernelInit,
      true,
      kernelRegularizer,
      this.constraints.kernel,
    );
    if (this.useBias)
      this.bias = this.addWeight('bias', [this.filters], this.biasInit, true, biasRegularizer, this.constraints.bias);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.channels(inputShape);
    return [inputShape[0], ...spatialOutput(this.name, inputShape, this), this.filters];
  }

  /** act(conv2d(x4, kernel4) + bias) with the activation fused when the kernel knows it. */
  protected conv2d(x4: Tensor, kernel4: Tensor, strides: number[], dilations: number[]): Tensor {
    const { fused, after } = fusedActivation(this.activation);
    const y = conv2d(x4, kernel4, this.bias?.value ?? null, {
      strides,
      dilationRate: dilations,
      padding: this.padding,
      activation: fused,
      name: this.name,
    });
    return this.withActivityPenalty(after ? after(y) : y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this, this.rank),
      kernelInitializer: initializerName(this.kernelInit) ?? 'custom',
      biasInitializer: initializerName(this.biasInit) ?? 'custom',
      ...Object.fromEntries(CONV_REGULARIZERS.map((k) => [k, regularizerConfig(this.regularizers[k])])),
      kernelConstraint: constraintConfig(this.constraints.kernel),
      biasConstraint: constraintConfig(this.constraints.bias),
    };
  }
}

/** 2-D convolution over [batch, height, width, channels]: kernel [kh, kw, in, filters], bias [filters] (Keras order). */
export class Conv2D extends Conv {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Conv2D';
  /** The number of spatial dimensions: 1 or 2. */
  readonly rank = 2;
  constructor(args: ConvArgs) {
    super(args, 2);
  }
  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank !== 4)
      throw new TensileError(
        this.name,
        `expected an input of rank 4 [batch, height, width, channels], got shape [${x.shape.join(', ')}]`,
      );
    return this.conv2d(x, this.kernel.value, this.strides, this.dilationRate);
  }
}
registerLayer(Conv2D);

/** 1-D convolution over [batch, steps, channels]: kernel [k, in, filters], bias [filters]; computed as a Conv2D of height 1. */
export class Conv1D extends Conv {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Conv1D';
  /** The number of spatial dimensions: 1 or 2. */
  readonly rank = 1;
  constructor(args: ConvArgs) {
    super(args, 1);
  }
  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank !== 3)
      throw new TensileError(
        this.name,
        `expected an input of rank 3 [batch, steps, channels], got shape [${x.shape.join(', ')}]`,
      );
    const [n, steps, c] = x.shape;
    const [k, , filters] = this.kernel.shape;
    const y = this.conv2d(
      reshape(x, [n, 1, steps, c]),
      reshape(this.kernel.value, [1, k, c, filters]),
      [1, this.strides[0]],
      [1, this.dilationRate[0]],
    );
    return reshape(y, [n, y.shape[2], filters]);
  }
}
registerLayer(Conv1D);
