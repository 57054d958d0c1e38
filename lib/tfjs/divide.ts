import { TensileError } from '../errors.js';
import * as core from '../ops/index.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';

// tfjs' division: int32 ÷ int32 is floor division with an int32 result (tf.div calls tf.floorDiv then); every other
// pair is true division. tensile's own tl.div divides truly whatever the dtypes (as Keras' `/` and NumPy's).

/** tf.floorDiv(a, b): ⌊a / b⌋ element-wise with broadcasting, computed in float64; no gradient (as tfjs: zero). */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  const x = toTensor('floorDiv', a, 'a'),
    y = toTensor('floorDiv', b, 'b');
  const shape = core.div(x, y).shape; // broadcasting checked (and named) by div
  const xs = core.broadcastTo(x, shape).data,
    ys = core.broadcastTo(y, shape).data;
  const out = new Float32Array(xs.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(xs[i] / ys[i]);
  const dtype = x.dtype === 'int32' && y.dtype === 'int32' ? 'int32' : 'float32';
  if (dtype === 'int32' && out.some((v) => !Number.isFinite(v)))
    throw new TensileError('floorDiv', 'integer division by zero');
  return new Tensor(out, shape, false, dtype);
}

/** tf.div(a, b): floor division when both are int32 (as tfjs), else a / b. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const isInt = (v: TensorLike) => v instanceof Tensor && v.dtype === 'int32';
  return isInt(a) && isInt(b) ? floorDiv(a, b) : core.div(a, b);
}
