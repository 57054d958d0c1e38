import './backward.js';
export { noGrad, isGradEnabled } from './graph.js';
export { defineOp } from './define-op.js';
export { withCustomGradient } from './custom-grad.js';
export { setDebug, isDebug, inLayer } from './debug.js';
export type { Op, OpDef } from './define-op.js';
