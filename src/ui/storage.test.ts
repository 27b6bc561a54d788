import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitWarning, storageFacts } from './storage';

function stubStorage(usage: number, quota: number, persisted = false) {
  vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage, quota }), persisted: async () => persisted, persist: async () => true } });
}

afterEach(() => vi.unstubAllGlobals());

describe('storage fit', () => {
  it('says nothing when the bundle fits', async () => {
    stubStorage(1e9, 10e9);
    expect(await fitWarning(2e9)).toBeNull();
  });
  it('warns with the figures when it does not', async () => {
    stubStorage(9e9, 10e9);
    const w = await fitWarning(2e9);
    expect(w).toContain('2.30 GB');
    expect(w).toContain('1.00 GB is free');
  });
  it('reports usage and persistence', async () => {
    stubStorage(5, 10, true);
    expect(await storageFacts()).toEqual({ usage: 5, quota: 10, persisted: true });
  });
});
