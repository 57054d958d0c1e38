import { TensileError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs } from './layer.js';
import { registerLayer } from './registry.js';

export interface InputLayerArgs extends LayerArgs {
  /** Only 'float32' (integer inputs such as token ids are converted to float32 on creation). */
  dtype?: string;
}

/**
 * Declares a model's input shape and passes its input through. As in Keras and tfjs-layers, a
 * Sequential keeps it aside: it is not one of `model.layers`.
 */
export class InputLayer extends Layer<InputLayerArgs> {
  static override readonly className = 'InputLayer';
  static override readonly argKeys: readonly string[] = ['dtype'];
  constructor(args: InputLayerArgs) {
    super(args);
    if (!this.batchInputShape) throw new TensileError('layers.inputLayer', 'needs inputShape (one sample, e.g. [784]) or batchInputShape (e.g. [null, 784])');
    if (args.dtype !== undefined && args.dtype !== 'float32' && args.dtype !== 'int32')
      throw new TensileError('layers.inputLayer', `dtype must be 'float32' or 'int32', got ${typeof args.dtype === 'string' ? `'${args.dtype}'` : String(args.dtype)}`);
  }
  call(x: Tensor): Tensor {
    return x;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dtype: this.args.dtype ?? 'float32' };
  }
}
registerLayer(InputLayer);
