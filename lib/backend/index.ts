export type { Backend, BackendName, GemmParams } from './backend.js';
export { backend, getBackend, setBackend, setNumThreads, getNumThreads, nativeAddon, nativeUnavailableReason } from './select.js';
export { referenceBackend } from './reference/index.js';
