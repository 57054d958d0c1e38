import type { Backend } from '../backend.js';
import { gemm } from './gemm.js';

/** The pure-TypeScript backend: the oracle for native kernels and the fallback without a build. */
export const referenceBackend: Backend = {
  name: 'reference',
  gemm,
};
