// The whole public surface of tensile. What is not exported here is internal.
export { TensileError } from './errors.js';
export { getBackend, setBackend, setNumThreads, getNumThreads } from './backend/index.js';
export type { BackendName } from './backend/index.js';
export { packageVersion as version } from './util/package-root.js';
