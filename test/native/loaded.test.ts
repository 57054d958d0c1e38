import { describe, expect, it } from 'vitest';
import { getBackend, nativeUnavailableReason } from '../../lib/backend/index.js';

describe('the native addon', () => {
  // The test command runs after a build: unless the reference backend is forced, native must load.
  it.skipIf(process.env.TENSILE_BACKEND === 'reference')('loads and is the active backend', () => {
    expect(nativeUnavailableReason()).toBe('');
    expect(getBackend()).toBe('native');
  });
});
