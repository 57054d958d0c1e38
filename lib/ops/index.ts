import './methods.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  scalar,
} from './elementwise-binary.js';
export { neg, exp, log, sqrt, abs, square, relu, sigmoid, tanh, step, sign } from './elementwise-unary.js';
export { sum, mean, max, min, argmax, broadcastTo, sumTo } from './reduce.js';
export type { ReduceOptions } from './reduce.js';
export { matmul } from './matmul.js';
export { softmax, logSoftmax } from './softmax.js';
export { reshape } from './reshape.js';
export { transpose, slice, concat, gather } from './layout.js';
export { where, clip } from './select.js';
export { dense } from './dense.js';
export { crossentropy } from './crossentropy.js';
export { recurrent } from './recurrent.js';
export type { RecurrentOptions, RnnCellKind } from './recurrent.js';
export { conv2d, conv2dDims, depthwiseConv2d, separableConv2d } from './conv.js';
export { conv2dTranspose, conv2dTransposeDims, type Conv2dTransposeOptions } from './conv-transpose.js';
export type { Conv2dOptions, DepthwiseConv2dOptions, SeparableConv2dOptions } from './conv.js';
export { maxPool2d, avgPool2d, pool2dDims } from './pool.js';
export type { Pool2dOptions } from './pool.js';
export type { Padding } from './window.js';
export { pad } from './pad.js';
export { batchNorm, batchNormTraining, moments } from './batch-norm.js';
export { layerNorm, layerNormAxes } from './layer-norm.js';
export type { LayerNormOptions } from './layer-norm.js';
export { maskedSoftmax } from './masked-softmax.js';
export { dropout, updateMovingAverage } from './state.js';
export { cast } from './cast.js';
export { expandDims, squeeze, stack, unstack, split, tile } from './shape-ops.js';
export { logicalAnd, logicalOr, logicalNot, logicalXor, notEqual } from './logical.js';
export { oneHot } from './one-hot.js';
export { cumsum } from './cumsum.js';
export { topk } from './topk.js';
export { gatherND } from './gather-nd.js';
export { argMin } from './arg-min.js';
export { multinomial } from './multinomial.js';
