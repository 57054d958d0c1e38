import { nativeAddon } from '../../lib/backend/index.js';
import type { NativeAddon } from '../../lib/backend/native/addon-types.js';

/** The loaded addon, or null when this run has no native build (suites then skip visibly). */
export const addon: NativeAddon | null = nativeAddon();
export const nativeLoaded = addon !== null;
