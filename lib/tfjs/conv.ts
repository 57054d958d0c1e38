import { TensileError } from '../errors.js';
import * as core from '../ops/index.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

// tfjs-core's convolution and pooling signatures (positional strides and pad, NHWC, rank-3 or rank-4 input)
// over tensile's ops, which take an options object.
type Pair = number | readonly [number, number];
type Pad = 'valid' | 'same';

function checkFormat(op: string, dataFormat: string | undefined, pad: unknown, dimRoundingMode: unknown): Pad {
  if (dataFormat !== undefined && dataFormat !== 'NHWC')
    throw new TensileError(op, `supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  if (pad !== 'valid' && pad !== 'same')
    throw new TensileError(op, `supports pad 'valid' or 'same', got ${JSON.stringify(pad)}`);
  if (dimRoundingMode !== undefined)
    throw new TensileError(op, `dimRoundingMode applies to numeric pads, which are not supported`);
  return pad;
}

/** x as a batch (a rank-3 image gets a batch of one), and how to give the result back in x's rank. */
function batched(op: string, x: TensorLike): { x4: Tensor; back: (y: Tensor) => Tensor } {
  const t = toTensor(op, x);
  if (t.rank === 3) return { x4: t.reshape([1, ...t.shape]), back: (y) => y.reshape(y.shape.slice(1)) };
  return { x4: t, back: (y) => y };
}

const convolution =
  (op: 'conv2d' | 'depthwiseConv2d', f: typeof core.depthwiseConv2d) =>
  (
    x: TensorLike,
    filter: TensorLike,
    strides: Pair,
    pad: Pad,
    dataFormat?: 'NHWC',
    dilations: Pair = 1,
    dimRoundingMode?: string,
  ): Tensor => {
    const padding = checkFormat(op, dataFormat, pad, dimRoundingMode);
    const { x4, back } = batched(op, x);
    return back(f(x4, toTensor(op, filter), null, { strides, padding, dilationRate: dilations }));
  };
/** tf.conv2d(x, filter, strides, pad, dataFormat = 'NHWC', dilations = 1). */
export const conv2d = convolution('conv2d', core.conv2d);
/** tf.depthwiseConv2d(x, filter, strides, pad, dataFormat = 'NHWC', dilations = 1). */
export const depthwiseConv2d = convolution('depthwiseConv2d', core.depthwiseConv2d);

/** tf.conv2dTranspose(x, filter [h, w, outDepth, inDepth], outputShape, strides, pad). */
export function conv2dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShape: readonly number[],
  strides: Pair,
  pad: Pad,
  dimRoundingMode?: string,
): Tensor {
  const padding = checkFormat('conv2dTranspose', undefined, pad, dimRoundingMode);
  const { x4, back } = batched('conv2dTranspose', x);
  const y = back(core.conv2dTranspose(x4, toTensor('conv2dTranspose', filter), null, { strides, padding }));
  const want = outputShape.length === y.rank ? outputShape : [...y.shape.slice(0, y.rank - 3), ...outputShape];
  if (want.length !== y.rank || want.some((d, i) => d !== y.shape[i]))
    throw new TensileError(
      'conv2dTranspose',
      `outputShape [${outputShape.join(', ')}] does not match the transposed convolution's output [${y.shape.join(', ')}]` +
        ' (tensile computes it as Keras does, from strides and pad)',
    );
  return y;
}

const pool =
  (op: 'maxPool' | 'avgPool', f: typeof core.maxPool2d) =>
  (x: TensorLike, filterSize: Pair, strides: Pair, pad: Pad, dimRoundingMode?: string): Tensor => {
    const padding = checkFormat(op, undefined, pad, dimRoundingMode);
    const { x4, back } = batched(op, x);
    return back(f(x4, { poolSize: filterSize, strides, padding, name: op }));
  };
/** tf.maxPool(x, filterSize, strides, pad). */
export const maxPool = pool('maxPool', core.maxPool2d);
/** tf.avgPool(x, filterSize, strides, pad). */
export const avgPool = pool('avgPool', core.avgPool2d);
