import { defineOp, type Op } from '../autograd/define-op.js';
import type { Conv2dDims } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import type { DenseActivation } from '../backend/kinds.js';
import { TensileError } from '../errors.js';
import { fmt, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from './elementwise-binary.js';
import { transpose } from './layout.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { type Padding, type Sizes, checkPadding, sizes, spatialGeometry } from './window.js';

const EMPTY = new Float32Array(0);

/** Options of tl.conv2d. */
export interface Conv2dOptions {
  /** Default 1. */
  strides?: Sizes;
  /** Default 'valid'. */
  padding?: Padding;
  /** Default 1. Strides and dilation may not both exceed 1 (as in Keras). */
  dilationRate?: Sizes;
  /** Fused into the kernel (default 'linear'). */
  activation?: DenseActivation;
  /** The name errors give (a layer's name; default 'conv2d'). */
  name?: string;
}

interface Conv2dAttrs {
  readonly d: Conv2dDims;
  readonly activation: DenseActivation;
}

/**
 * The geometry of conv2d(x, kernel): x [n, h, w, c], kernel [kh, kw, c, cout]; throws a TensileError
 * naming `op` and the shapes when they do not fit together.
 */
export function conv2dDims(
  op: string,
  xShape: readonly number[],
  kShape: readonly number[],
  o: Conv2dOptions = {},
): Conv2dDims {
  if (xShape.length !== 4)
    throw new TensileError(op, `expects an input of rank 4 [batch, height, width, channels], got shape ${fmt(xShape)}`);
  if (kShape.length !== 4)
    throw new TensileError(op, `expects a kernel of rank 4 [kh, kw, inChannels, filters], got shape ${fmt(kShape)}`);
  if (xShape[3] !== kShape[2])
    throw new TensileError(
      op,
      `the input has ${xShape[3]} channels but the kernel ${fmt(kShape)} expects ${kShape[2]}: input shape ${fmt(xShape)}`,
    );
  const strides = sizes(op, 'strides', o.strides ?? 1, 2);
  const dilations = sizes(op, 'dilationRate', o.dilationRate ?? 1, 2);
  if (strides.some((s) => s > 1) && dilations.some((r) => r > 1))
    throw new TensileError(op, `strides ${fmt(strides)} and dilationRate ${fmt(dilations)} cannot both exceed 1`);
  const padding = checkPadding(op, o.padding ?? 'valid');
  const [gy, gx] = spatialGeometry(op, xShape, kShape.slice(0, 2), strides, dilations, padding, 'kernel');
  return {
    n: xShape[0],
    h: xShape[1],
    w: xShape[2],
    c: xShape[3],
    kh: kShape[0],
    kw: kShape[1],
    cout: kShape[3],
    oh: gy.out,
    ow: gx.out,
    strideH: strides[0],
    strideW: strides[1],
    dilationH: dilations[0],
    dilationW: dilations[1],
    padTop: gy.padBefore,
    padLeft: gx.padBefore,
  };
}

const zerosLike = (t: Tensor | undefined): Tensor | null =>
  t?.requiresGrad ? new Tensor(new Float32Array(t.size), t.shape) : null;

const conv2dOp: Op<Conv2dAttrs> = defineOp<Conv2dAttrs>({
  name: 'conv2d',
  outShape: (_inputs, { d }) => [d.n, d.oh, d.ow, d.cout],
  forward: (k, [x, w, b], out, _s, { d, activation }) => k.conv2d(x.raw, w.raw, b ? b.raw : EMPTY, out, d, activation),
  backward: (dy, [x, w, b], y, { d, activation }) => {
    const [dx, dw, db] = [zerosLike(x), zerosLike(w), zerosLike(b)];
    backend().conv2dBackward(
      x.raw,
      w.raw,
      y.raw,
      dy.raw,
      { dx: dx?.raw ?? EMPTY, dw: dw?.raw ?? EMPTY, db: db?.raw ?? EMPTY },
      d,
      activation,
    );
    return b ? [dx, dw, db] : [dx, dw];
  },
});

/**
 * 2-D convolution, channels-last: activation(conv(x, kernel) + bias), x [batch, h, w, c] and kernel
 * [kh, kw, c, filters] (Keras' layout), by im2col + GEMM; padding 'same' follows TensorFlow (the odd pixel after).
 * @example tl.conv2d(tl.ones([1, 5, 5, 1]), tl.ones([3, 3, 1, 2]), null, { padding: 'same' }) // shape [1, 5, 5, 2]
 */
export function conv2d(x: Tensor, kernel: Tensor, bias: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const op = options.name ?? 'conv2d';
  const d = conv2dDims(op, x.shape, kernel.shape, options);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== d.cout))
    throw new TensileError(
      op,
      `expects a bias of shape [${d.cout}] for the kernel ${fmt(kernel.shape)}, got ${fmt(bias.shape)}`,
    );
  if (sizeOf([d.kh, d.kw, d.c]) === 0)
    throw new TensileError(op, `the kernel ${fmt(kernel.shape)} has no input channels`);
  return conv2dOp(bias ? [x, kernel, bias] : [x, kernel], { d, activation: options.activation ?? 'linear' });
}

/** Options of tl.depthwiseConv2d. */
export type DepthwiseConv2dOptions = Omit<Conv2dOptions, 'activation'>;

/** The one-hot kernel [kh, kw, 1, kh·kw] whose conv2d copies each receptive field of a 1-channel image into its pixel. */
function patchKernel(kh: number, kw: number): Tensor {
  const e = new Float32Array(kh * kw * kh * kw);
  for (let i = 0; i < kh * kw; i++) e[i * kh * kw + i] = 1;
  return new Tensor(e, [kh, kw, 1, kh * kw]);
}

/**
 * Depthwise 2-D convolution, channels-last (Keras' DepthwiseConv2D): each input channel ci is convolved with its own
 * kernel[:, :, ci, :], so x [batch, h, w, c] and kernel [kh, kw, c, multiplier] give [batch, oh, ow, c·multiplier],
 * output channel ci·multiplier + m; bias [c·multiplier]. Written with ops (gradients for free): the channels become
 * batch entries, conv2d with a one-hot kernel gathers their receptive fields (im2col), and a broadcast product
 * summed over the window applies each channel's kernel.
 * @example tl.depthwiseConv2d(tl.ones([1, 5, 5, 3]), tl.ones([3, 3, 3, 2]), null, { padding: 'same' }) // shape [1, 5, 5, 6]
 */
export function depthwiseConv2d(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  options: DepthwiseConv2dOptions = {},
): Tensor {
  const op = options.name ?? 'depthwiseConv2d';
  if (kernel.rank !== 4)
    throw new TensileError(
      op,
      `expects a depthwise kernel of rank 4 [kh, kw, inChannels, depthMultiplier], got shape ${fmt(kernel.shape)}`,
    );
  const d = conv2dDims(op, x.shape, kernel.shape, options);
  const mult = d.cout,
    window = d.kh * d.kw;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== d.c * mult))
    throw new TensileError(
      op,
      `expects a bias of shape [${d.c * mult}] (channels·depthMultiplier) for the kernel ${fmt(kernel.shape)}, got ${fmt(bias.shape)}`,
    );
  // [n, h, w, c] → [n·c, h, w, 1] → patches [n·c, oh, ow, kh·kw]
  const xc = reshape(transpose(x, [0, 3, 1, 2]), [d.n * d.c, d.h, d.w, 1]);
  const patches = conv2d(xc, patchKernel(d.kh, d.kw), null, {
    strides: options.strides,
    padding: options.padding,
    dilationRate: options.dilationRate,
    name: op,
  });
  // Σ over the window of patch [n, c, pixels, window, 1] · kernel [c, 1, window, mult] → [n, c, pixels, mult]
  const k = reshape(transpose(reshape(kernel, [window, d.c, mult]), [1, 0, 2]), [d.c, 1, window, mult]);
  const y = sum(mul(reshape(patches, [d.n, d.c, d.oh * d.ow, window, 1]), k), { axis: 3 });
  const out = reshape(transpose(y, [0, 2, 1, 3]), [d.n, d.oh, d.ow, d.c * mult]);
  return bias ? add(out, bias) : out;
}

/** Options of tl.separableConv2d. */
export type SeparableConv2dOptions = Conv2dOptions;

/**
 * Depthwise-separable 2-D convolution, channels-last (Keras' SeparableConv2D): depthwiseConv2d(x, depthwiseKernel)
 * with the window options, then a 1×1 conv2d with pointwiseKernel [1, 1, c·multiplier, filters], plus bias [filters]
 * and the activation (fused into the pointwise step). Written with ops, so gradients come for free.
 * @example tl.separableConv2d(tl.ones([1, 5, 5, 3]), tl.ones([3, 3, 3, 2]), tl.ones([1, 1, 6, 4]), null, { padding: 'same' }) // shape [1, 5, 5, 4]
 */
export function separableConv2d(
  x: Tensor,
  depthwiseKernel: Tensor,
  pointwiseKernel: Tensor,
  bias: Tensor | null,
  options: SeparableConv2dOptions = {},
): Tensor {
  const op = options.name ?? 'separableConv2d';
  // Check every shape before computing anything: the depthwise step's geometry, then the pointwise kernel against it.
  if (depthwiseKernel.rank !== 4)
    throw new TensileError(
      op,
      `expects a depthwise kernel of rank 4 [kh, kw, inChannels, depthMultiplier], got shape ${fmt(depthwiseKernel.shape)}`,
    );
  const d = conv2dDims(op, x.shape, depthwiseKernel.shape, options);
  const mid = d.c * d.cout;
  const pk = pointwiseKernel.shape;
  if (pk.length !== 4 || pk[0] !== 1 || pk[1] !== 1 || pk[2] !== mid)
    throw new TensileError(
      op,
      `expects a pointwise kernel of shape [1, 1, ${mid}, filters] (channels ${d.c} · depthMultiplier ${d.cout} = ${mid} inputs), got ${fmt(pk)}`,
    );
  if (bias && (bias.rank !== 1 || bias.shape[0] !== pk[3]))
    throw new TensileError(
      op,
      `expects a bias of shape [${pk[3]}] (filters) for the pointwise kernel ${fmt(pk)}, got ${fmt(bias.shape)}`,
    );
  const depthwise = depthwiseConv2d(x, depthwiseKernel, null, {
    strides: options.strides,
    padding: options.padding,
    dilationRate: options.dilationRate,
    name: op,
  });
  return conv2d(depthwise, pointwiseKernel, bias, { activation: options.activation, name: op });
}
