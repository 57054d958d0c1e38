import { defineOp, type Op } from '../autograd/define-op.js';
import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { type Shape, fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './reshape.js';
import { sumTo } from './reduce.js';

interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

/** [batch, rows, cols] of a rank-2 or rank-3 operand (batch 1 for rank 2). */
const asBatch = (s: Shape): [number, number, number] => (s.length === 2 ? [1, s[0], s[1]] : [s[0], s[1], s[2]]);

function dims([a, b]: readonly Tensor[], { transA, transB }: MatmulAttrs) {
  if (a.rank < 2 || a.rank > 3 || b.rank < 2 || b.rank > 3)
    throw new TensileError('matmul', `expects rank-2 or rank-3 operands, got a ${fmt(a.shape)} and b ${fmt(b.shape)}`);
  const [ba, ra, ca] = asBatch(a.shape);
  const [bb, rb, cb] = asBatch(b.shape);
  const [m, k] = transA ? [ca, ra] : [ra, ca];
  const [k2, n] = transB ? [cb, rb] : [rb, cb];
  if (k !== k2)
    throw new TensileError(
      'matmul',
      `inner dimensions differ: a is ${fmt(a.shape)}${transA ? ' (transposed)' : ''}, b is ${fmt(b.shape)}${transB ? ' (transposed)' : ''}`,
    );
  if (ba !== bb && ba !== 1 && bb !== 1)
    throw new TensileError(
      'matmul',
      `batch dimensions ${ba} and ${bb} cannot be broadcast: a is ${fmt(a.shape)}, b is ${fmt(b.shape)}`,
    );
  // Broadcasting: a batch of 1 takes the other's size (which may be 0).
  return { m, n, k, ba, bb, batch: ba === 1 ? bb : ba };
}

const matmulOp: Op<MatmulAttrs> = defineOp<MatmulAttrs>({
  name: 'matmul',
  outShape: (inputs, attrs) => {
    const { m, n, batch } = dims(inputs, attrs);
    return inputs[0].rank === 3 || inputs[1].rank === 3 ? [batch, m, n] : [m, n];
  },
  forward: (k, inputs, out, _shape, attrs) => {
    const [a, b] = inputs;
    const { m, n, k: inner, ba, bb, batch } = dims(inputs, attrs);
    const p = { m, n, k: inner, transA: attrs.transA, transB: attrs.transB, alpha: 1, beta: 0 };
    if (batch === 1 || (bb === 1 && !attrs.transA)) {
      // One GEMM: a batch of rows times a shared matrix is a single taller product.
      k.gemm(a.raw, b.raw, out, { ...p, m: m * ba });
      return;
    }
    // One call for the whole batch: a shared (broadcast) operand has stride 0.
    k.gemmBatched(a.raw, b.raw, out, p, {
      batch,
      strideA: ba === 1 ? 0 : m * inner,
      strideB: bb === 1 ? 0 : inner * n,
    });
  },
  // C = op(A)·op(B): each gradient is one more matmul with transpose flags, never a transposed copy.
  backward: (dy, [a, b], _y, { transA, transB }) => {
    const mm = (x: Tensor, y: Tensor, tx: boolean, ty: boolean) => matmulOp([x, y], { transA: tx, transB: ty });
    const da = !a.requiresGrad
      ? null
      : !transA
        ? transB
          ? mm(dy, b, false, false)
          : mm(dy, b, false, true)
        : transB
          ? mm(b, dy, true, true)
          : mm(b, dy, false, true);
    const db = !b.requiresGrad
      ? null
      : !transB
        ? transA
          ? mm(a, dy, false, false)
          : mm(a, dy, true, false)
        : transA
          ? mm(dy, a, true, true)
          : mm(dy, a, true, false);
    return [da && fitTo(da, a.shape), db && fitTo(db, b.shape)];
  },
});

/** Bring a (possibly batched) gradient back to an operand's shape: sum over a broadcast batch. */
function fitTo(g: Tensor, shape: Shape): Tensor {
  if (g.rank === shape.length) return sumTo(g, shape);
  return reshape(sumTo(g, [1, ...shape]), shape);
}

/**
 * Matrix product of rank-2 or batched rank-3 tensors (the batch broadcasts when one side has 1 or rank 2).
 * @example tl.matmul(tl.tensor([[1, 2], [3, 4]]), tl.tensor([[5, 6], [7, 8]])) // [[19, 22], [43, 50]]
 */
export function matmul(
  a: TensorLike,
  b: TensorLike,
  options: { transposeA?: boolean; transposeB?: boolean } = {},
): Tensor {
  if (options === null || typeof options !== 'object')
    throw new TensileError(
      'matmul',
      `options must be an object like { transposeA, transposeB }, got ${options === null ? 'null' : typeof options}`,
    );
  return matmulOp([toTensor('matmul', a, 'a'), toTensor('matmul', b, 'b')], {
    transA: options.transposeA ?? false,
    transB: options.transposeB ?? false,
  });
}
