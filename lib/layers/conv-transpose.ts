import { TensileError } from '../errors.js';
import { conv2dTranspose } from '../ops/index.js';
import { deconvAxis } from '../ops/conv-transpose.js';
import type { Tensor } from '../tensor/tensor.js';
import { Conv, type ConvArgs, knownChannels } from './conv.js';
import type { CallContext, SymbolicShape } from './layer.js';
import { registerLayer } from './registry.js';

/**
 * Transposed 2-D convolution ("deconvolution") over [batch, height, width, channels], as tfjs-layers' and Keras'
 * Conv2DTranspose: kernel [kh, kw, filters, in] and bias [filters] (Keras order); the output is
 * [batch, h·sh + max(kh − sh, 0), w·sw + max(kw − sw, 0), filters] with padding 'valid' and [batch, h·sh, w·sw, filters]
 * with 'same'. dilationRate 1 only (as tfjs), channels-last only, no outputPadding (tfjs has none).
 */
export class Conv2DTranspose extends Conv {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Conv2DTranspose';
  /** The number of spatial dimensions: 1 or 2. */
  readonly rank = 2;
  constructor(args: ConvArgs) {
    super(args, 2, 'layers.conv2dTranspose');
    if (this.dilationRate.some((r) => r !== 1))
      throw new TensileError(
        'layers.conv2dTranspose',
        `supports dilationRate 1 only (as tfjs' Conv2DTranspose), got [${this.dilationRate.join(', ')}]`,
      );
  }

  /** Creates kernel [kh, kw, filters, in] and bias [filters] for the input's channels. */
  override build(inputShape: SymbolicShape): void {
    // The kernel is [kh, kw, filters, in]: Keras' fans read it as fanIn = window·filters, fanOut = window·in.
    const { kernelRegularizer, biasRegularizer } = this.regularizers;
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, this.filters, this.channels(inputShape)],
      this.kernelInit,
      true,
      kernelRegularizer,
      this.constraints.kernel,
    );
    if (this.useBias)
      this.bias = this.addWeight('bias', [this.filters], this.biasInit, true, biasRegularizer, this.constraints.bias);
  }

  /** [batch, h·sh + max(kh − sh, 0), w·sw + max(kw − sw, 0), filters] ('valid') or [batch, h·sh, w·sw, filters] ('same'). */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    knownChannels(this.name, inputShape, 2);
    const spatial = inputShape
      .slice(1, 3)
      .map((size, i) =>
        size === null ? null : deconvAxis(size, this.kernelSize[i], this.strides[i], this.padding).out,
      );
    return [inputShape[0], ...spatial, this.filters];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (x.rank !== 4)
      throw new TensileError(
        this.name,
        `expected an input of rank 4 [batch, height, width, channels], got shape [${x.shape.join(', ')}]`,
      );
    const y = conv2dTranspose(x, this.kernel.value, this.bias?.value ?? null, {
      strides: this.strides,
      padding: this.padding,
      name: this.name,
    });
    return this.withActivityPenalty(this.activation.fn(y));
  }
}
registerLayer(Conv2DTranspose);
