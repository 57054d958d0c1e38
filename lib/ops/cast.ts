import { defineOp, type Op } from '../autograd/define-op.js';
import { hostStep } from '../backend/recording.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { type DType, checkDtype, convertValues } from '../tensor/dtype.js';
import { hostWritten } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';

// The values convert as tensor({ dtype }) converts them on creation (tensor/dtype.ts), in the fresh output.
const castOp: Op<{ dtype: DType }> = defineOp<{ dtype: DType }>({
  name: 'cast',
  dtype: (_, { dtype }) => dtype,
  outShape: ([x]) => x.shape,
  // A host step: a compiled step converts each batch's values again.
  forward: (_k, [x], out, _s, { dtype }) =>
    hostStep(
      [out],
      () => {
        out.set(x.data);
        convertValues('cast', out, dtype);
        hostWritten(out);
      },
      [x.raw],
    ),
  // float32 → float32 passes the gradient through; casts to int32 or bool record none (define-op).
  backward: (dy) => [dy],
});

/**
 * x as another dtype, as tfjs' cast: to int32 truncates toward zero, to bool is 1 where x ≠ 0.
 * @example tl.cast(tl.tensor([1.7, -1.7, 0]), 'int32') // [1, -1, 0], dtype int32
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = toTensor('cast', x);
  const d = checkDtype('cast', dtype);
  return d === t.dtype && d !== 'float32' ? t : castOp([t], { dtype: d });
}
