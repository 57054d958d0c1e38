/** What a GEMM call multiplies: op(A) is m×k, op(B) is k×n, C is m×n, all row-major and contiguous. */
export interface GemmParams {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A is stored k×m and used transposed. */
  readonly transA: boolean;
  /** B is stored n×k and used transposed. */
  readonly transB: boolean;
  readonly alpha: number;
  readonly beta: number;
}

export type BackendName = 'reference' | 'native';

/**
 * One typed method per kernel. Kernels see Float32Arrays and sizes, never Tensors;
 * the caller allocates every output and has validated every shape.
 */
export interface Backend {
  readonly name: BackendName;
  /** c = alpha·op(a)·op(b) + beta·c (with beta = 0, c is not read: NaN in c does not leak). */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, p: GemmParams): void;
}
