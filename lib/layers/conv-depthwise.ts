import { TensileError } from '../errors.js';
import { depthwiseConv2d, separableConv2d } from '../ops/index.js';
import type { Padding } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ActivationFn, type ActivationIdentifier, getActivation } from './activations.js';
import { fusedActivation, knownChannels, positiveInteger, spatialOutput, windowConfig, windowOptions } from './conv.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';

// DepthwiseConv2D and SeparableConv2D, channels-last, Keras semantics.

/** Options of tl.layers.depthwiseConv2d. */
export interface DepthwiseConv2DArgs extends LayerArgs {
  /** Window size: one number for both axes, or [kh, kw]. */
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** Default 'valid'. */
  padding?: Padding;
  /** Output channels per input channel (default 1): the output has channels·depthMultiplier. */
  depthMultiplier?: number;
  /** Only 'channelsLast' (NHWC). */
  dataFormat?: 'channelsLast';
  /** Default 1; strides and dilation may not both exceed 1. */
  dilationRate?: number | readonly number[];
  /** The activation applied to the output. */
  activation?: ActivationIdentifier | null;
  /** Whether the layer adds a bias vector. */
  useBias?: boolean;
  /** The initializer of the depthwise kernel. Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the bias. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | Initializer;
}

/**
 * Depthwise 2-D convolution over [batch, height, width, channels]: each channel convolved with its own
 * depthMultiplier kernels; weights depthwise_kernel [kh, kw, in, depthMultiplier] and bias [in·depthMultiplier] (Keras order).
 */
export class DepthwiseConv2D extends Layer<DepthwiseConv2DArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'DepthwiseConv2D';
  static override readonly argKeys: readonly string[] = [
    'kernelSize',
    'strides',
    'padding',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'depthMultiplier',
    'depthwiseInitializer',
    'biasInitializer',
  ];
  /** The size of the convolution window along each spatial dimension. */
  readonly kernelSize: number[];
  /** The step of the window along each spatial dimension. */
  readonly strides: number[];
  /** The spacing between the window's taps along each spatial dimension. */
  readonly dilationRate: number[];
  /** 'valid' (no padding) or 'same' (the output keeps the input's size at stride 1). */
  readonly padding: Padding;
  /** Output channels per input channel of the depthwise step. */
  readonly depthMultiplier: number;
  /** Whether the layer adds a bias vector. */
  readonly useBias: boolean;
  /** The activation applied to the output. */
  readonly activation: {
    /** Its name, as saved ('relu', ...). */
    name: string;
    /** The function. */
    fn: ActivationFn;
  };
  /** The initializer of the depthwise kernel. */
  readonly depthwiseInit: Initializer;
  /** The initializer of the bias. */
  readonly biasInit: Initializer;
  private kernel!: Variable;
  private bias?: Variable;

  constructor(args: DepthwiseConv2DArgs) {
    super(args);
    const op = 'layers.depthwiseConv2d';
    this.depthMultiplier = positiveInteger(op, 'depthMultiplier', args.depthMultiplier ?? 1);
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      dilationRate: this.dilationRate,
      padding: this.padding,
    } = windowOptions(op, args, 2));
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(op, args.activation);
    this.depthwiseInit = getInitializer(op, args.depthwiseInitializer ?? 'glorotUniform');
    this.biasInit = getInitializer(op, args.biasInitializer ?? 'zeros');
  }

  override build(inputShape: SymbolicShape): void {
    const c = knownChannels(this.name, inputShape, 2);
    this.kernel = this.addWeight('depthwise_kernel', [...this.kernelSize, c, this.depthMultiplier], this.depthwiseInit);
    if (this.useBias) this.bias = this.addWeight('bias', [c * this.depthMultiplier], this.biasInit);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const c = knownChannels(this.name, inputShape, 2);
    return [inputShape[0], ...spatialOutput(this.name, inputShape, this), c * this.depthMultiplier];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank !== 4)
      throw new TensileError(
        this.name,
        `expected an input of rank 4 [batch, height, width, channels], got shape [${x.shape.join(', ')}]`,
      );
    const y = depthwiseConv2d(x, this.kernel.value, this.bias?.value ?? null, {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      name: this.name,
    });
    return this.activation.fn(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...windowConfig(this),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initializerName(this.depthwiseInit) ?? 'custom',
      biasInitializer: initializerName(this.biasInit) ?? 'custom',
    };
  }
}
registerLayer(DepthwiseConv2D);

/** Options of tl.layers.separableConv2d. */
export interface SeparableConv2DArgs extends DepthwiseConv2DArgs {
  /** Output channels of the pointwise (1×1) step. */
  filters: number;
  /** The initializer of the pointwise kernel. Default 'glorotUniform'. */
  pointwiseInitializer?: InitializerIdentifier | Initializer;
}

/**
 * Depthwise-separable 2-D convolution over [batch, height, width, channels]: a depthwise convolution (depthMultiplier
 * kernels per channel, with the window options), then a 1×1 convolution to `filters` channels, bias and activation;
 * weights depthwise_kernel [kh, kw, in, depthMultiplier], pointwise_kernel [1, 1, in·depthMultiplier, filters] and
 * bias [filters] (Keras order).
 */
export class SeparableConv2D extends Layer<SeparableConv2DArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'SeparableConv2D';
  static override readonly argKeys: readonly string[] = [
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'depthMultiplier',
    'depthwiseInitializer',
    'pointwiseInitializer',
    'biasInitializer',
  ];
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
  /** Output channels per input channel of the depthwise step. */
  readonly depthMultiplier: number;
  /** Whether the layer adds a bias vector. */
  readonly useBias: boolean;
  /** The activation applied to the output. */
  readonly activation: {
    /** Its name, as saved ('relu', ...). */
    name: string;
    /** The function. */
    fn: ActivationFn;
  };
  /** The initializer of the depthwise kernel. */
  readonly depthwiseInit: Initializer;
  /** The initializer of the pointwise kernel. */
  readonly pointwiseInit: Initializer;
  /** The initializer of the bias. */
  readonly biasInit: Initializer;
  private depthwiseKernel!: Variable;
  private pointwiseKernel!: Variable;
  private bias?: Variable;

  constructor(args: SeparableConv2DArgs) {
    super(args);
    const op = 'layers.separableConv2d';
    this.filters = positiveInteger(op, 'filters', args.filters);
    this.depthMultiplier = positiveInteger(op, 'depthMultiplier', args.depthMultiplier ?? 1);
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      dilationRate: this.dilationRate,
      padding: this.padding,
    } = windowOptions(op, args, 2));
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(op, args.activation);
    this.depthwiseInit = getInitializer(op, args.depthwiseInitializer ?? 'glorotUniform');
    this.pointwiseInit = getInitializer(op, args.pointwiseInitializer ?? 'glorotUniform');
    this.biasInit = getInitializer(op, args.biasInitializer ?? 'zeros');
  }

  override build(inputShape: SymbolicShape): void {
    const c = knownChannels(this.name, inputShape, 2);
    this.depthwiseKernel = this.addWeight(
      'depthwise_kernel',
      [...this.kernelSize, c, this.depthMultiplier],
      this.depthwiseInit,
    );
    this.pointwiseKernel = this.addWeight(
      'pointwise_kernel',
      [1, 1, c * this.depthMultiplier, this.filters],
      this.pointwiseInit,
    );
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInit);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    knownChannels(this.name, inputShape, 2);
    return [inputShape[0], ...spatialOutput(this.name, inputShape, this), this.filters];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank !== 4)
      throw new TensileError(
        this.name,
        `expected an input of rank 4 [batch, height, width, channels], got shape [${x.shape.join(', ')}]`,
      );
    const { fused, after } = fusedActivation(this.activation);
    const y = separableConv2d(x, this.depthwiseKernel.value, this.pointwiseKernel.value, this.bias?.value ?? null, {
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      activation: fused,
      name: this.name,
    });
    return after ? after(y) : y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initializerName(this.depthwiseInit) ?? 'custom',
      pointwiseInitializer: initializerName(this.pointwiseInit) ?? 'custom',
      biasInitializer: initializerName(this.biasInit) ?? 'custom',
    };
  }
}
registerLayer(SeparableConv2D);
