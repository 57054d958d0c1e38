import { TensileError } from '../errors.js';
import { type TensorLike, toTensor } from '../tensor/create.js';
import { normAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { transpose } from './layout.js';
import { matmul } from './matmul.js';
import { reshape } from './reshape.js';

/**
 * Running sums along an axis (tfjs' cumsum, with exclusive and reverse), as a product with a triangular matrix
 * of ones: one GEMM, its gradient matmul's own. O(n²) in the axis length: meant for sequences, not millions.
 * @example tl.cumsum(tl.tensor([1, 2, 3])).arraySync() // [1, 3, 6]
 */
export function cumsum(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  const t = toTensor('cumsum', x);
  if (t.rank === 0) throw new TensileError('cumsum', 'needs a tensor of rank ≥ 1, got a scalar');
  const a = normAxis('cumsum', axis, t.shape);
  const n = t.shape[a];
  // y[j] = Σ_i x[i]·U[i][j]: U[i][j] = 1 for i ≤ j (i < j exclusive); reversed, for i ≥ j (i > j).
  const u = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      u[i * n + j] = (reverse ? (exclusive ? i > j : i >= j) : exclusive ? i < j : i <= j) ? 1 : 0;
  const perm = [...t.shape.keys()].filter((i) => i !== a).concat(a);
  const moved = a === t.rank - 1 ? t : transpose(t, perm);
  const y = reshape(matmul(reshape(moved, [-1, n]), new Tensor(u, [n, n])), moved.shape);
  if (a === t.rank - 1) return y;
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return transpose(y, inverse);
}
