import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadNative } from '../../src/native/load.js';

const native = loadNative();

describe('backend selection', () => {
  const saved = process.env.FEATLEARN_THREADS;
  afterAll(() => {
    if (saved === undefined) delete process.env.FEATLEARN_THREADS;
    else process.env.FEATLEARN_THREADS = saved;
  });

  it.skipIf(!native.ok || process.env.FEATLEARN_BACKEND === 'portable')('applies FEATLEARN_THREADS to the addon as soon as it is chosen (before any linalg backend exists)', async () => {
    for (const n of [1, 2]) {
      process.env.FEATLEARN_THREADS = String(n);
      vi.resetModules();
      const { chooseBackend } = await import('../../src/native/select.js');
      const choice = chooseBackend();
      expect(choice.name).toBe('native');
      if (choice.name === 'native') expect((choice.addon.info as () => { threads: number })().threads).toBe(n);
    }
  });

  it('rejects a bad FEATLEARN_THREADS naming the variable', async () => {
    process.env.FEATLEARN_THREADS = 'many';
    vi.resetModules();
    const { defaultThreads } = await import('../../src/native/select.js');
    expect(() => defaultThreads()).toThrow('FEATLEARN_THREADS: expected an integer from 1 to 1024, got "many"');
  });
});
