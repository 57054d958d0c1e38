import { defineOp, type Op } from '../autograd/define-op.js';
import type { Conv2dDims } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add } from './elementwise-binary.js';
import { type Padding, type Sizes, checkPadding, sizes } from './window.js';

// conv2dTranspose(x, kernel) is the adjoint of conv2d: with conv2d's geometry d read backwards (its input is the
// transposed convolution's output, its output the transposed convolution's input), the forward pass is conv2d's
// input gradient, the input gradient is conv2d itself and the kernel gradient is conv2d's kernel gradient with the
// output gradient as conv2d's input. The backend's conv2d kernels do all three: no kernel of its own.

const EMPTY = new Float32Array(0);

/** Options of tl.conv2dTranspose. */
export interface Conv2dTransposeOptions {
  /** Default 1. */
  strides?: Sizes;
  /** Default 'valid'. */
  padding?: Padding;
  /** Only 1 (as tfjs' Conv2DTranspose). */
  dilationRate?: Sizes;
  /** The name errors give (a layer's name; default 'conv2dTranspose'). */
  name?: string;
}

/**
 * Keras' output length of a transposed convolution along one axis (conv_utils.deconv_output_length, no
 * outputPadding): 'valid' size·stride + max(k − stride, 0), 'same' size·stride; and conv2d's leading pad for it.
 */
export function deconvAxis(
  size: number,
  k: number,
  stride: number,
  padding: Padding,
): { out: number; padBefore: number } {
  if (padding === 'valid') return { out: size * stride + Math.max(k - stride, 0), padBefore: 0 };
  return { out: size * stride, padBefore: Math.floor(Math.max(k - stride, 0) / 2) };
}

/**
 * The conv2d geometry whose input gradient is conv2dTranspose(x, kernel): x [n, h, w, in], kernel
 * [kh, kw, filters, in] (Keras' Conv2DTranspose layout) and output [n, d.h, d.w, filters]; throws a TensileError
 * naming `op` and the shapes when they do not fit together.
 */
export function conv2dTransposeDims(
  op: string,
  xShape: readonly number[],
  kShape: readonly number[],
  o: Conv2dTransposeOptions = {},
): Conv2dDims {
  if (xShape.length !== 4)
    throw new TensileError(op, `expects an input of rank 4 [batch, height, width, channels], got shape ${fmt(xShape)}`);
  if (kShape.length !== 4)
    throw new TensileError(op, `expects a kernel of rank 4 [kh, kw, filters, inChannels], got shape ${fmt(kShape)}`);
  if (xShape[3] !== kShape[3])
    throw new TensileError(
      op,
      `the input has ${xShape[3]} channels but the kernel ${fmt(kShape)} [kh, kw, filters, inChannels] expects ${kShape[3]}: input shape ${fmt(xShape)}`,
    );
  if (kShape[0] === 0 || kShape[1] === 0) throw new TensileError(op, `the kernel ${fmt(kShape)} has an empty window`);
  const strides = sizes(op, 'strides', o.strides ?? 1, 2);
  const dilations = sizes(op, 'dilationRate', o.dilationRate ?? 1, 2);
  if (dilations.some((r) => r !== 1))
    throw new TensileError(op, `supports dilationRate 1 only (as tfjs' Conv2DTranspose), got ${fmt(dilations)}`);
  const padding = checkPadding(op, o.padding ?? 'valid');
  const gy = deconvAxis(xShape[1], kShape[0], strides[0], padding),
    gx = deconvAxis(xShape[2], kShape[1], strides[1], padding);
  return {
    n: xShape[0],
    h: gy.out,
    w: gx.out,
    c: kShape[2],
    kh: kShape[0],
    kw: kShape[1],
    cout: kShape[3],
    oh: xShape[1],
    ow: xShape[2],
    strideH: strides[0],
    strideW: strides[1],
    dilationH: 1,
    dilationW: 1,
    padTop: gy.padBefore,
    padLeft: gx.padBefore,
  };
}

const conv2dTransposeOp: Op<Conv2dDims> = defineOp<Conv2dDims>({
  name: 'conv2dTranspose',
  outShape: (_inputs, d) => [d.n, d.h, d.w, d.c],
  // conv2d's dx from dy = x. The kernel reads conv2d's x only for dw (not asked for) and its y only for a
  // non-linear activation: x is a placeholder of the right size, y is x itself.
  forward: (k, [x, w], out, _s, d) =>
    k.conv2dBackward(new Float32Array(out.length), w.raw, x.raw, x.raw, { dx: out, dw: EMPTY, db: EMPTY }, d, 'linear'),
  backward: (dy, [x, w], _y, d) => {
    const k = backend();
    let dx: Tensor | null = null,
      dw: Tensor | null = null;
    if (x.requiresGrad) {
      dx = new Tensor(new Float32Array(x.size), x.shape);
      k.conv2d(dy.raw, w.raw, EMPTY, dx.raw, d, 'linear');
    }
    if (w.requiresGrad) {
      dw = new Tensor(new Float32Array(w.size), w.shape);
      k.conv2dBackward(dy.raw, w.raw, x.raw, x.raw, { dx: EMPTY, dw: dw.raw, db: EMPTY }, d, 'linear');
    }
    return [dx, dw];
  },
});

/**
 * Transposed 2-D convolution (the gradient of conv2d with respect to its input; "deconvolution"), channels-last:
 * x [batch, h, w, in] and kernel [kh, kw, filters, in] (Keras' Conv2DTranspose layout) give
 * [batch, h·sh + max(kh − sh, 0), w·sw + max(kw − sw, 0), filters] with padding 'valid', [batch, h·sh, w·sw, filters]
 * with 'same' (Keras' sizes); bias [filters] is added when given. Dilation 1 only.
 * @example tl.conv2dTranspose(tl.ones([1, 4, 4, 3]), tl.ones([3, 3, 2, 3]), null, { strides: 2, padding: 'same' }) // shape [1, 8, 8, 2]
 */
export function conv2dTranspose(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  options: Conv2dTransposeOptions = {},
): Tensor {
  const op = options.name ?? 'conv2dTranspose';
  const d = conv2dTransposeDims(op, x.shape, kernel.shape, options);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== d.c))
    throw new TensileError(
      op,
      `expects a bias of shape [${d.c}] (filters) for the kernel ${fmt(kernel.shape)}, got ${fmt(bias.shape)}`,
    );
  const y = conv2dTransposeOp([x, kernel], d);
  return bias ? add(y, bias) : y;
}
