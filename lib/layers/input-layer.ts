import { TensileError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs } from './layer.js';
import { Node } from './node.js';
import { registerLayer } from './registry.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/** Options of tl.layers.inputLayer. */
export interface InputLayerArgs extends LayerArgs {
  /** Only 'float32' (integer inputs such as token ids are converted to float32 on creation). */
  dtype?: string;
}

/**
 * Declares a model's input shape and passes its input through. As in Keras and tfjs-layers, a
 * Sequential keeps it aside: it is not one of `model.layers`.
 */
export class InputLayer extends Layer<InputLayerArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'InputLayer';
  static override readonly argKeys: readonly string[] = ['dtype'];
  constructor(args: InputLayerArgs) {
    super(args);
    if (!this.batchInputShape)
      throw new TensileError(
        'layers.inputLayer',
        'needs inputShape (one sample, e.g. [784]) or batchInputShape (e.g. [null, 784])',
      );
    if (args.dtype !== undefined && args.dtype !== 'float32' && args.dtype !== 'int32')
      throw new TensileError(
        'layers.inputLayer',
        `dtype must be 'float32' or 'int32', got ${typeof args.dtype === 'string' ? `'${args.dtype}'` : String(args.dtype)}`,
      );
    // As in Keras, an InputLayer is its own first node: the graph's symbolic input (layer.output).
    const shape = this.batchInputShape;
    this.inboundNodes.push(
      new Node(this, [], false, {}, [new SymbolicTensor([null, ...shape.slice(1)], this, 0, 0)], false),
    );
    this.ensureBuilt([null, ...shape.slice(1)]);
  }
  call(x: Tensor): Tensor {
    return x;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dtype: this.args.dtype ?? 'float32' };
  }
}
registerLayer(InputLayer);

/** Options of tl.input. */
export interface InputArgs {
  /** Shape of one sample, without the batch axis (null: any size). */
  shape?: readonly (number | null)[];
  /** The full shape with the batch axis, instead of shape. */
  batchShape?: readonly (number | null)[];
  /** Name of the InputLayer (default: a unique one). */
  name?: string;
  /** 'float32' (default) or 'int32'; the input is held as float32 either way. */
  dtype?: string;
}

/**
 * A symbolic input of a graph: an InputLayer and its one node.
 * @example const x = tl.input({ shape: [784] }); const y = tl.layers.dense({ units: 10 }).apply(x);
 */
export function input(args: InputArgs): SymbolicTensor {
  if (args === null || typeof args !== 'object' || Array.isArray(args))
    throw new TensileError('input', 'expects an options object such as { shape: [784] }');
  if ((args.shape === undefined) === (args.batchShape === undefined))
    throw new TensileError(
      'input',
      'needs exactly one of shape (one sample, e.g. [784]) or batchShape (e.g. [null, 784])',
    );
  const s: unknown = args.shape ?? args.batchShape;
  if (!Array.isArray(s) || s.some((d) => d !== null && !(Number.isInteger(d) && d >= 0)))
    throw new TensileError(
      'input',
      `${args.shape !== undefined ? 'shape' : 'batchShape'} must be a list of non-negative integers or null, got ${JSON.stringify(s) ?? typeof s}`,
    );
  const batchInputShape = args.shape !== undefined ? [null, ...args.shape] : [...args.batchShape!];
  if (batchInputShape.length === 0) throw new TensileError('input', 'batchShape must have a batch axis');
  const layer = new InputLayer({
    batchInputShape,
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.dtype !== undefined ? { dtype: args.dtype } : {}),
  });
  return layer.output as SymbolicTensor;
}
