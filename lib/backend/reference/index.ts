import type { Backend } from '../backend.js';
import { binary, broadcast, unary, where } from './elementwise.js';
import { crossentropy, crossentropyBackward } from './crossentropy.js';
import { conv2d, conv2dBackward } from './conv.js';
import { dense, denseBackward } from './dense.js';
import { gemm, gemmBatched } from './gemm.js';
import { batchNorm, batchNormBackward, movingAverage } from './batch-norm.js';
import { bernoulli } from './random.js';
import { layerNorm, layerNormBackward } from './layer-norm.js';
import { gather, scatterAdd, slice, transpose, unslice } from './layout.js';
import { adagradUpdate, adamUpdate, applyUpdate, rmspropUpdate, sgdUpdate } from './optimizers.js';
import { pool2d, pool2dBackward } from './pool.js';
import {
  gruCell,
  gruCellBackward,
  gruResetCell,
  gruResetCellBackward,
  gruResetGates,
  gruResetGatesBackward,
  lstmCell,
  lstmCellBackward,
  rnnCell,
  rnnCellBackward,
} from './recurrent.js';
import { mlpForward } from './mlp.js';
import { argmax, reduce } from './reduce.js';
import { maskedSoftmax, softmax, softmaxBackward } from './softmax.js';

/** The pure-TypeScript backend: the oracle for native kernels and the fallback without a build. */
export const referenceBackend: Backend = {
  name: 'reference',
  copy: (x, out) => out.set(x),
  gemm,
  gemmBatched,
  maskedSoftmax,
  softmaxBackward,
  layerNorm,
  layerNormBackward,
  batchNorm,
  batchNormBackward,
  movingAverage,
  bernoulli,
  unary,
  binary,
  where,
  broadcast,
  reduce,
  argmax,
  softmax,
  transpose,
  gather,
  scatterAdd,
  slice,
  unslice,
  dense,
  denseBackward,
  crossentropy,
  crossentropyBackward,
  mlpForward,
  conv2d,
  conv2dBackward,
  pool2d,
  pool2dBackward,
  lstmCell,
  lstmCellBackward,
  gruCell,
  gruCellBackward,
  rnnCell,
  rnnCellBackward,
  gruResetGates,
  gruResetCell,
  gruResetCellBackward,
  gruResetGatesBackward,
  adamUpdate,
  applyUpdate,
  sgdUpdate,
  rmspropUpdate,
  adagradUpdate,
};
