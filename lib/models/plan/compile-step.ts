import { TensileError } from '../../errors.js';
import { Variable } from '../../layers/variable.js';
import type { Optimizer, Param } from '../../optimizers/optimizer.js';
import { type TensorLike, toTensor } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import { CompiledStep } from './compiled.js';

const tensorOf = (p: Param): Tensor => (p instanceof Variable ? p.value : p);

/** A compiled training step: call it with a batch's inputs; it returns the loss and has updated the parameters. */
export type TrainStepFn = (...inputs: TensorLike[]) => number;

/**
 * Compile a training step of a custom loop: `lossFn` computes a scalar loss from the inputs with tensile ops; the
 * returned function runs it, `backward()` and `optimizer.step(params)` for a batch and returns the loss. Its first
 * two calls for each input shape are recorded (op by op); later calls replay the kernels recorded, the optimizer's
 * updates included (with its current learning rate; an optimizer with its own update() or step(), or a constrained
 * parameter, is stepped after the replay instead), on buffers allocated once: the same numbers as the loop written
 * op by op, at a fraction of the per-op overhead. Use it for small models and many batches, where that overhead dominates.
 * lossFn must compute with ops only: JavaScript in it (logging, reading values) runs only while recording, and a
 * step whose kernel calls depend on the values runs op by op every time. Parameters, trainable flags, the backend
 * and the input shapes may change between calls: the step is recorded again.
 * @example
 * const w = tl.randn([3, 1], { requiresGrad: true });
 * const opt = tl.optimizers.adam();
 * const step = tl.compileStep((x, y) => tl.mean(tl.square(tl.sub(tl.matmul(x, w), y))), [w], opt);
 * for (let i = 0; i < 100; i++) step(x, y); // loss as a number
 */
export function compileStep(
  lossFn: (...inputs: Tensor[]) => Tensor,
  params: readonly Param[],
  optimizer: Optimizer,
): TrainStepFn {
  const op = 'compileStep';
  if (typeof lossFn !== 'function')
    throw new TensileError(
      op,
      `lossFn must be a function of the input tensors returning a scalar loss, got ${typeof lossFn}`,
    );
  if (!Array.isArray(params) || params.some((p) => !(p instanceof Tensor || p instanceof Variable)))
    throw new TensileError(op, 'params must be a list of tensors or variables (the parameters the optimizer updates)');
  if (!optimizer || typeof (optimizer as Optimizer).step !== 'function')
    throw new TensileError(op, 'optimizer must be an optimizer such as tl.optimizers.adam()');
  const list = [...params];
  let updatesInStep = false; // set before each call; a change replans
  const compiled = new CompiledStep(
    (inputs) => {
      const loss = lossFn(...inputs);
      if (!(loss instanceof Tensor) || loss.size !== 1)
        throw new TensileError(
          op,
          `lossFn must return a one-element tensor (the loss), got ${loss instanceof Tensor ? `shape [${loss.shape.join(', ')}]` : typeof loss}`,
        );
      optimizer.zeroGrad(list);
      loss.backward();
      const grads = list.map((p) => tensorOf(p).grad);
      if (updatesInStep) optimizer.applyUpdates(list);
      return { loss, grads };
    },
    (r) => [r.loss, ...r.grads.filter((g): g is Tensor => g !== null)],
    () => [
      optimizer,
      optimizer.slotsVersion,
      updatesInStep,
      ...list.flatMap((p) => [tensorOf(p).raw, tensorOf(p).requiresGrad]),
    ],
  );
  return (...raw) => {
    const inputs = raw.map((t, i) => toTensor(op, t, `input ${i}`));
    // an object with a step() of its own (not an Optimizer) is stepped after the plan
    updatesInStep = typeof optimizer.updatesInPlan === 'function' && optimizer.updatesInPlan(list);
    if (updatesInStep) optimizer.beginStep();
    const r = compiled.run(
      inputs.map((t) => t.shape),
      (arrays, k) => arrays.forEach((a, i) => k.copy(inputs[i].raw, a)),
    );
    list.forEach((p, i) => (tensorOf(p).grad = r.grads[i]));
    if (!updatesInStep) optimizer.step(list);
    return r.loss.data[0];
  };
}
