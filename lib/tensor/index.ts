export { Tensor } from './tensor.js';
export type { NestedArray } from './tensor.js';
export { tensor, zeros, ones, full, rand, randn, arange, toTensor } from './create.js';
export type { TensorLike, CreateOptions } from './create.js';
export { setSeed } from './random.js';
export type { Shape } from './shape.js';
