import { defineOp, type Op } from '../autograd/define-op.js';
import type { Pool2dDims, PoolKind } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Padding, type Sizes, checkPadding, sizes, spatialGeometry } from './window.js';

/** Options of tl.maxPool2d and tl.avgPool2d. */
export interface Pool2dOptions {
  /** Window size; default [2, 2]. */
  poolSize?: Sizes;
  /** Default: the pool size. */
  strides?: Sizes;
  /** Default 'valid'. */
  padding?: Padding;
  /** The name errors give (a layer's name; default the op's). */
  name?: string;
}

interface PoolAttrs {
  readonly kind: PoolKind;
  readonly d: Pool2dDims;
}

/** The geometry of a 2-D pooling of x [n, h, w, c]; a TensileError naming `op` and the shapes when the window does not fit. */
export function pool2dDims(op: string, xShape: readonly number[], o: Pool2dOptions = {}): Pool2dDims {
  if (xShape.length !== 4)
    throw new TensileError(op, `expects an input of rank 4 [batch, height, width, channels], got shape ${fmt(xShape)}`);
  const pool = sizes(op, 'poolSize', o.poolSize ?? 2, 2);
  const strides = sizes(op, 'strides', o.strides ?? pool, 2);
  const padding = checkPadding(op, o.padding ?? 'valid');
  const [gy, gx] = spatialGeometry(op, xShape, pool, strides, [1, 1], padding, 'pool size');
  return {
    n: xShape[0],
    h: xShape[1],
    w: xShape[2],
    c: xShape[3],
    kh: pool[0],
    kw: pool[1],
    oh: gy.out,
    ow: gx.out,
    strideH: strides[0],
    strideW: strides[1],
    padTop: gy.padBefore,
    padLeft: gx.padBefore,
  };
}

const pool2dOp: Op<PoolAttrs> = defineOp<PoolAttrs>({
  name: 'pool2d',
  outShape: (_inputs, { d }) => [d.n, d.oh, d.ow, d.c],
  forward: (k, [x], out, _s, { kind, d }) => k.pool2d(kind, x.raw, out, d),
  backward: (dy, [x], _y, { kind, d }) => {
    const dx = new Float32Array(x.size);
    backend().pool2dBackward(kind, x.raw, dy.raw, dx, d);
    return [new Tensor(dx, x.shape)];
  },
});

/**
 * Max over each window of x [batch, h, w, c] (channels-last); 'same' padding never wins a max.
 * @example tl.maxPool2d(x, { poolSize: 2 }) // [1, 28, 28, 8] → [1, 14, 14, 8]
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions = {}): Tensor {
  return pool2dOp([x], { kind: 'max', d: pool2dDims(options.name ?? 'maxPool2d', x.shape, options) });
}

/**
 * Mean over each window of x [batch, h, w, c]; with 'same' padding, over the window's input pixels only (as TensorFlow).
 * @example tl.avgPool2d(x, { poolSize: 2 }) // [1, 28, 28, 8] → [1, 14, 14, 8]
 */
export function avgPool2d(x: Tensor, options: Pool2dOptions = {}): Tensor {
  return pool2dOp([x], { kind: 'avg', d: pool2dDims(options.name ?? 'avgPool2d', x.shape, options) });
}
