// A small matmul through the active backend, checked against the obvious answer.
import * as tl from 'tensile';

console.log(`backend: ${tl.getBackend()}`);
