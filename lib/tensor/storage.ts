// Values as the layers above the backend see them: the backend's storage hooks (backend/storage.ts) and writing a
// tensor's values from JavaScript.
import { hostWritten } from '../backend/storage.js';

export { hostWritten, releaseStorage, syncHost } from '../backend/storage.js';

/** @internal Overwrite a tensor's values from JavaScript (all of them): its device copy, if any, goes stale. */
export function assignValues(t: { readonly raw: Float32Array }, values: ArrayLike<number>): void {
  t.raw.set(values);
  hostWritten(t.raw);
}
