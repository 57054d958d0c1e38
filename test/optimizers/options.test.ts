import { describe, expect, it } from 'vitest';
import { optimizers, tensor } from '../../lib/index.js';
import { expectTensileError, expectTensor } from '../helpers/ops.js';

// tfjs passes the learning rate positionally (tf.train.adam(0.01)); before, the number was ignored silently.
describe('optimizer factories: the learning rate alone, and unknown options', () => {
  it.each([
    ['sgd', () => optimizers.sgd(0.5)],
    ['adam', () => optimizers.adam(0.01)],
    ['adamw', () => optimizers.adamw(0.01)],
    ['rmsprop', () => optimizers.rmsprop(0.01)],
    ['adagrad', () => optimizers.adagrad(0.01)],
  ] as const)('%s(number) is the learning rate', (_, make) => {
    const opt = make();
    expect(opt.learningRate).toBe(_ === 'sgd' ? 0.5 : 0.01);
  });

  it('sgd(0.5) trains at 0.5: w − 0.5·g', () => {
    const w = tensor([1, -2], undefined, { requiresGrad: true });
    w.mul(w).sum().backward(); // g = 2w
    optimizers.sgd(0.5).step([w]);
    expectTensor(w, [0, 0]);
  });

  it('adam(0.01) takes a first step of 0.01 (bias-corrected m̂/√v̂ = sign g)', () => {
    const w = tensor([1, -1], undefined, { requiresGrad: true });
    w.mul(w).sum().backward();
    optimizers.adam(0.01).step([w]);
    expectTensor(w, [0.99, -0.99], { rtol: 1e-6 });
  });

  it('a misspelled option is a TensileError with a hint', () => {
    expectTensileError(
      () => optimizers.adam({ learningrate: 0.1 } as never),
      'optimizers.adam',
      "'learningrate'",
      "did you mean 'learningRate'",
    );
    expectTensileError(() => optimizers.sgd({ momentun: 0.9 } as never), 'optimizers.sgd', "did you mean 'momentum'");
    expectTensileError(() => optimizers.rmsprop({ decay: 0.9 } as never), 'optimizers.rmsprop', "'decay'", 'rho');
    expectTensileError(
      () => optimizers.adagrad({ initialAccumulator: 0.1 } as never),
      'optimizers.adagrad',
      "did you mean 'initialAccumulatorValue'",
    );
    expectTensileError(() => optimizers.adam({ weightDecay: 0.1 } as never), 'optimizers.adam', "'weightDecay'");
    expect(optimizers.adamw({ weightDecay: 0.1 }).getConfig().weightDecay).toBe(0.1);
  });

  it('a bad positional learning rate is refused like the option', () => {
    expectTensileError(() => optimizers.adam(-1), 'optimizers.adam', 'learningRate', '-1');
    expectTensileError(() => optimizers.sgd(NaN), 'optimizers.sgd', 'learningRate');
    expectTensileError(() => optimizers.adam('0.1' as never), 'optimizers.adam', 'options must be an object');
  });
});
