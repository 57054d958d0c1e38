export type {
  Backend,
  BackendName,
  GemmParams,
  ReduceDims,
  AdamStep,
  SgdStep,
  RmspropStep,
  AdagradStep,
} from './backend.js';
export * from './kinds.js';
export {
  backend,
  activeBackend,
  hostBackend,
  synchronize,
  getBackend,
  setBackend,
  setNumThreads,
  getNumThreads,
  nativeAddon,
  nativeUnavailableReason,
  cudaUnavailableReason,
  useDevice,
} from './select.js';
export { referenceBackend } from './reference/index.js';
