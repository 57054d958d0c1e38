import { TensileError } from '../errors.js';
import { Layer } from '../layers/layer.js';
import { type LayerClass, layerClass, registerLayer } from '../layers/registry.js';

/**
 * Make a user's layer class loadable by name, as tfjs' `tf.serialization.registerClass`: the class extends
 * tl.layers.Layer, has its own `static className`, and its constructor takes the object its getConfig() returns.
 * Saving writes every getConfig() key; loading calls `new Cls(config)` and sets the weights.
 * @example class Scale extends tl.layers.Layer { static className = 'Scale'; ... }
 *   tl.serialization.registerClass(Scale);
 */
export function registerClass(cls: LayerClass): void {
  const op = 'serialization.registerClass';
  if (typeof cls !== 'function' || !(cls.prototype instanceof Layer))
    throw new TensileError(
      op,
      `expects a class that extends tl.layers.Layer, got ${typeof cls === 'function' ? `class ${cls.name}` : typeof cls}`,
    );
  const own = Object.prototype.hasOwnProperty.call(cls, 'className') ? cls.className : undefined;
  if (typeof own !== 'string' || own === '')
    throw new TensileError(
      op,
      `class ${cls.name} needs its own static className (the name files record), e.g. static className = '${cls.name}'`,
    );
  const existing = layerClass(own);
  if (existing && existing !== cls && !isUserClass(existing))
    throw new TensileError(op, `className '${own}' is a built-in layer of tensile; give ${cls.name} another name`);
  userClasses.add(cls);
  registerLayer(cls);
}

const userClasses = new WeakSet<LayerClass>();
const isUserClass = (cls: LayerClass) => userClasses.has(cls);
