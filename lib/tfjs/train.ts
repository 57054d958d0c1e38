import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { Adadelta, Adagrad, Adam, Adamax, Optimizer, RMSprop, SGD } from '../optimizers/index.js';
import { Tensor, tensor } from '../tensor/index.js';
import { type Variable, trainableVariables } from './creation.js';

// tf.train.* (positional arguments, as tfjs) and the gradient functions tf.grad/grads/valueAndGrad(s)/variableGrads.

type NamedGrads = Record<string, Tensor>;

const liveVariables = (): Variable[] => {
  const out: Variable[] = [];
  for (const ref of trainableVariables) {
    const v = ref.deref();
    if (v) {
      if (v.trainable) out.push(v);
    } else trainableVariables.delete(ref);
  }
  return out;
};

function scalarOf(op: string, y: unknown): Tensor {
  if (!(y instanceof Tensor) || y.size !== 1)
    throw new TensileError(
      op,
      `f must return a scalar Tensor, got ${y instanceof Tensor ? `shape [${y.shape.join(', ')}]` : typeof y}`,
    );
  return y;
}

/** tf.variableGrads(f, varList?): f's value and its gradient for each variable (by name). */
export function variableGrads(f: () => Tensor, varList?: readonly Variable[]): { value: Tensor; grads: NamedGrads } {
  const vars = varList ?? liveVariables();
  for (const v of vars) v.grad = null;
  const value = scalarOf('variableGrads', f());
  if (value.requiresGrad) value.backward();
  const grads: NamedGrads = {};
  for (const v of vars) grads[v.name] = v.grad ?? tensor(new Float32Array(v.size), v.shape);
  for (const v of vars) v.grad = null;
  return { value: new Tensor(value.data.slice(), value.shape), grads };
}

/** The tfjs methods of an optimizer: minimize, computeGradients, applyGradients, over tf.variable's variables. */
export interface TfjsOptimizer {
  minimize(f: () => Tensor, returnCost?: boolean, varList?: readonly Variable[]): Tensor | null;
  computeGradients(f: () => Tensor, varList?: readonly Variable[]): { value: Tensor; grads: NamedGrads };
  applyGradients(grads: NamedGrads | { name: string; tensor: Tensor }[]): void;
}
function withTfjsMethods<O extends Optimizer>(opt: O): O & TfjsOptimizer {
  const o = opt as O & TfjsOptimizer;
  o.computeGradients = variableGrads;
  o.applyGradients = (grads) => {
    const list = Array.isArray(grads) ? grads : Object.entries(grads).map(([name, t]) => ({ name, tensor: t }));
    const byName = new Map(liveVariables().map((v) => [v.name, v]));
    const vars = list.map(({ name, tensor: g }) => {
      const v = byName.get(name);
      if (!v) throw new TensileError('applyGradients', `no trainable variable named '${name}' (made by tf.variable)`);
      v.grad = g;
      return v;
    });
    noGrad(() => opt.step(vars));
    opt.zeroGrad(vars);
  };
  o.minimize = (f, returnCost = false, varList) => {
    const { value, grads } = variableGrads(f, varList);
    o.applyGradients(grads);
    return returnCost ? value : null;
  };
  return o;
}

/** tf.train: optimizers with tfjs' positional arguments (and Keras' defaults where tfjs has none). */
export const train = {
  sgd: (learningRate: number) => withTfjsMethods(new SGD({ learningRate })),
  momentum: (learningRate: number, momentum: number, useNesterov = false) =>
    withTfjsMethods(new SGD({ learningRate, momentum, nesterov: useNesterov })),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) =>
    withTfjsMethods(new Adam({ learningRate, beta1, beta2, ...(epsilon !== undefined && { epsilon }) })),
  adagrad: (learningRate: number, initialAccumulatorValue = 0.1) =>
    withTfjsMethods(new Adagrad({ learningRate, initialAccumulatorValue })),
  rmsprop: (learningRate: number, decay = 0.9, momentum = 0, epsilon?: number, centered = false) =>
    withTfjsMethods(
      new RMSprop({ learningRate, rho: decay, momentum, centered, ...(epsilon !== undefined && { epsilon }) }),
    ),
  adadelta: (learningRate = 0.001, rho = 0.95, epsilon?: number) =>
    withTfjsMethods(new Adadelta({ learningRate, rho, ...(epsilon !== undefined && { epsilon }) })),
  adamax: (learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon?: number, decay = 0) =>
    withTfjsMethods(new Adamax({ learningRate, beta1, beta2, decay, ...(epsilon !== undefined && { epsilon }) })),
};

const leaf = (x: Tensor): Tensor => new Tensor(x.data.slice(), x.shape, true);

/** tf.grads(f): (xs, dy?) → the gradient of f's output (weighted by dy) with respect to each x. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => valueAndGrads(f)(xs, dy).grads;
}
/** tf.grad(f): (x, dy?) → df/dx. */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => grads(f)([x], dy)[0];
}
/** tf.valueAndGrads(f): (xs, dy?) → { value, grads }. */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new TensileError('grads', 'expects an array of input tensors');
    const leaves = xs.map(leaf);
    const y = f(...leaves);
    if (!(y instanceof Tensor)) throw new TensileError('grads', `f must return a Tensor, got ${typeof y}`);
    if (y.requiresGrad)
      y.backward(dy ?? (y.size === 1 ? undefined : tensor(new Float32Array(y.size).fill(1), y.shape)));
    return {
      value: new Tensor(y.data.slice(), y.shape, false, y.dtype),
      grads: leaves.map((l) => l.grad ?? tensor(new Float32Array(l.size), l.shape)),
    };
  };
}
/** tf.valueAndGrad(f): (x, dy?) → { value, grad }. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const r = valueAndGrads(f)([x], dy);
    return { value: r.value, grad: r.grads[0] };
  };
}
