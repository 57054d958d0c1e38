// The closed sets of element-wise and reduction kernels. Their order is the wire format of
// opcodes across N-API: native/src/kernels/cpu/kinds.h lists the same names in the same order,
// and test/native/surface.test.ts checks that the addon agrees.
export const UNARY_OPS = [
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'square',
  'relu',
  'sigmoid',
  'tanh',
  'step',
  'sign',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export const REDUCE_OPS = ['sum', 'max', 'min'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** The crossentropies of Backend.crossentropy; wire order of native/src/kernels/cpu/crossentropy.h. */
export const CROSSENTROPY_KINDS = ['binary', 'categorical'] as const;

/** Activations fused into a dense layer's GEMM (forward) and gradient (backward). */
export const DENSE_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];

/**
 * Activations fused into a recurrent cell (forward and backward). hardSigmoid is Keras 2's and tfjs'
 * clip(0.2·x + 0.5, 0, 1). Wire order of the cell kernels: native/src/kernels/cpu/recurrent.h lists the
 * same names (kRnnActNames); test/ops/recurrent.test.ts holds native to reference for each.
 */
export const RNN_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'hardSigmoid'] as const;
export type RnnActivation = (typeof RNN_ACTIVATIONS)[number];

/** The update rules the fused kernels implement, in the code order of native/src/kernels/cpu/optimizers.h. */
export const UPDATE_RULES = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;

export const unaryCode = Object.fromEntries(UNARY_OPS.map((n, i) => [n, i])) as Record<UnaryOp, number>;
export const binaryCode = Object.fromEntries(BINARY_OPS.map((n, i) => [n, i])) as Record<BinaryOp, number>;
export const reduceCode = Object.fromEntries(REDUCE_OPS.map((n, i) => [n, i])) as Record<ReduceOp, number>;
export const denseCode = Object.fromEntries(DENSE_ACTIVATIONS.map((n, i) => [n, i])) as Record<DenseActivation, number>;
export const crossentropyCode = Object.fromEntries(CROSSENTROPY_KINDS.map((n, i) => [n, i])) as Record<
  (typeof CROSSENTROPY_KINDS)[number],
  number
>;
export const rnnCode = Object.fromEntries(RNN_ACTIVATIONS.map((n, i) => [n, i])) as Record<RnnActivation, number>;
