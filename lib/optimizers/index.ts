import { TensileError } from '../errors.js';
import { lookup, unknownName } from '../internal/names.js';
import { Adadelta, type AdadeltaOptions } from './adadelta.js';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adamax, type AdamaxOptions } from './adamax.js';
import { Adam, type AdamOptions, AdamW, type AdamWOptions } from './adam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop, type RmspropOptions } from './rmsprop.js';
import { SGD, type SgdOptions } from './sgd.js';

export { Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax };
export type { SgdOptions, AdamOptions, AdamWOptions, RmspropOptions, AdagradOptions, AdadeltaOptions, AdamaxOptions };

// Each factory takes an options object or, as tfjs does, the learning rate alone: adam(0.01) = adam({ learningRate: 0.01 }).
/** @example tl.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }); tl.optimizers.sgd(0.5) */
export const sgd = (o: SgdOptions | number = {}): SGD => new SGD(o);
/** @example tl.optimizers.adam({ learningRate: 1e-3 }); tl.optimizers.adam(0.01) */
export const adam = (o: AdamOptions | number = {}): Adam => new Adam(o);
/** @example tl.optimizers.adamw({ weightDecay: 0.01 }) */
export const adamw = (o: AdamWOptions | number = {}): AdamW => new AdamW(o);
/** @example tl.optimizers.rmsprop({ learningRate: 1e-3 }); tl.optimizers.rmsprop(0.01) */
export const rmsprop = (o: RmspropOptions | number = {}): RMSprop => new RMSprop(o);
/** @example tl.optimizers.adagrad({ learningRate: 0.01 }); tl.optimizers.adagrad(0.1) */
export const adagrad = (o: AdagradOptions | number = {}): Adagrad => new Adagrad(o);
/** @example tl.optimizers.adadelta({ learningRate: 1, rho: 0.95 }); tl.optimizers.adadelta(1) */
export const adadelta = (o: AdadeltaOptions | number = {}): Adadelta => new Adadelta(o);
/** @example tl.optimizers.adamax({ learningRate: 0.002 }); tl.optimizers.adamax(0.01) */
export const adamax = (o: AdamaxOptions | number = {}): Adamax => new Adamax(o);

const FACTORIES: Readonly<Record<string, () => Optimizer>> = {
  sgd: () => sgd(),
  adam: () => adam(),
  adamw: () => adamw(),
  rmsprop: () => rmsprop(),
  adagrad: () => adagrad(),
  adadelta: () => adadelta(),
  adamax: () => adamax(),
};

/** An optimizer by name or as an object. */
export type OptimizerIdentifier =
  'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax' | (string & {});

/** An optimizer object as given, or a fresh one with default options from its name. */
export function getOptimizer(op: string, id: OptimizerIdentifier | Optimizer): Optimizer {
  if (id instanceof Optimizer) return id;
  const make = typeof id === 'string' ? lookup(FACTORIES, id.toLowerCase()) : undefined;
  if (!make) throw new TensileError(op, unknownName('optimizer', id, Object.keys(FACTORIES)));
  return make();
}

const CLASSES: Readonly<Record<string, new (o: never) => Optimizer>> = {
  SGD,
  Adam,
  AdamW,
  RMSprop,
  Adagrad,
  Adadelta,
  Adamax,
};

/** An optimizer from its className and getConfig() (restoring a saved optimizer). */
export function optimizerFromConfig(op: string, className: string, config: Record<string, unknown>): Optimizer {
  const cls = Object.prototype.hasOwnProperty.call(CLASSES, className) ? CLASSES[className] : undefined;
  if (!cls) throw new TensileError(op, unknownName('optimizer class', className, Object.keys(CLASSES)));
  return new cls(config as never);
}
