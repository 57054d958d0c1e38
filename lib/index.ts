// The whole public surface of tensile. What is not exported here is internal.
export { TensileError } from './errors.js';
export { Tensor, tensor, zeros, ones, full, rand, randn, arange, setSeed } from './tensor/index.js';
export type { NestedArray, TensorLike, CreateOptions, Shape } from './tensor/index.js';
export { noGrad, setDebug, isDebug } from './autograd/index.js';
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
  neg,
  exp,
  log,
  sqrt,
  abs,
  square,
  relu,
  sigmoid,
  tanh,
  sum,
  mean,
  max,
  min,
  argmax,
  broadcastTo,
  matmul,
  softmax,
  logSoftmax,
  reshape,
  transpose,
  slice,
  concat,
  gather,
  where,
  clip,
} from './ops/index.js';
export { conv2d, depthwiseConv2d, separableConv2d, maxPool2d, avgPool2d, dropout } from './ops/index.js';
export { layerNorm, maskedSoftmax } from './ops/index.js';
export { conv2dTranspose } from './ops/index.js';
export type { Conv2dTransposeOptions } from './ops/index.js';
export type { LayerNormOptions } from './ops/index.js';
export {
  cast,
  expandDims,
  squeeze,
  stack,
  unstack,
  split,
  tile,
  pad,
  logicalAnd,
  logicalOr,
  logicalNot,
  logicalXor,
  notEqual,
  oneHot,
  cumsum,
  topk,
  gatherND,
  argMin,
  multinomial,
  moments,
} from './ops/index.js';
export { range, linspace, randomNormal, randomUniform, truncatedNormal } from './tensor/index.js';
export type { DType } from './tensor/index.js';
export type {
  ReduceOptions,
  Conv2dOptions,
  DepthwiseConv2dOptions,
  SeparableConv2dOptions,
  Pool2dOptions,
  Padding,
} from './ops/index.js';
export {
  getBackend,
  setBackend,
  setNumThreads,
  getNumThreads,
  synchronize,
  cudaUnavailableReason,
} from './backend/index.js';
export type { BackendName } from './backend/index.js';
export { packageVersion as version } from './internal/package-root.js';
export * as layers from './layers/index.js';
export * as losses from './losses/index.js';
export * as optimizers from './optimizers/index.js';
export * as metrics from './metrics/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export * as data from './data/index.js';
export * as utils from './utils/index.js';
export * as distributed from './distributed/index.js';
export { sequential, Sequential, History, callbacks } from './models/index.js';
export { input, model, LayersModel, SymbolicTensor } from './models/index.js';
export type { InputArgs, ModelData } from './models/index.js';
export { loadModel } from './io/index.js';
export * as serialization from './io/serialization.js';
export { compileStep, type TrainStepFn } from './models/plan/compile-step.js';
export { setStepPlans } from './models/plan/compiled.js';
export type { SaveOptions, SaveResult } from './io/index.js';
export type { OneLoss, OneMetric, PerOutput } from './models/index.js';
export type { CompileArgs, FitOptions, EvaluateOptions, DataLike, Callback, Logs } from './models/index.js';
export { exportOnnx } from './onnx/index.js';
export type { ExportOnnxOptions, ExportOnnxResult, OnnxTensorInfo } from './onnx/index.js';
export type { FitDatasetOptions, EvaluateDatasetOptions, BatchSource, DatasetBatch } from './models/index.js';
export * as plot from './plot/index.js';
