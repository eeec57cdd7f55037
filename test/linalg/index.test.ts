// Backend selection and information.
import { describe, expect, it } from 'vitest';
import { getBackend, getBackendByName } from '../../src/linalg/index.js';
import { chooseBackend, defaultThreads } from '../../src/native/select.js';
import { backendsUnderTest } from './helpers.js';

describe('getBackend', () => {
  it('follows chooseBackend() and is a singleton shared with getBackendByName', () => {
    const b = getBackend();
    expect(b.name).toBe(chooseBackend().name);
    expect(getBackend()).toBe(b);
    expect(getBackendByName(b.name)).toBe(b);
  });
  it('rejects unknown names', () => {
    expect(() => getBackendByName('gpu' as 'native')).toThrow('linalg backend: expected "native" or "portable", got "gpu"');
  });
});

describe.each(backendsUnderTest())('%s backend: info and threads', (name, backend) => {
  it('reports its name, BLAS and thread count; setThreads validates and takes effect', () => {
    const info = backend.info();
    expect(info.name).toBe(name);
    if (name === 'native') {
      expect(info.blas).toMatch(/OpenBLAS|Accelerate/);
      expect(info.threads).toBe(defaultThreads());
      backend.setThreads(1);
      expect(backend.info().threads).toBe(1);
      backend.setThreads(defaultThreads());
      expect(backend.info().threads).toBe(defaultThreads());
    } else {
      expect(info.blas).toMatch(/portable/);
      expect(info.threads).toBe(1);
    }
    expect(() => backend.setThreads(0)).toThrow('setThreads: expected an integer from 1 to 1024, got 0');
    expect(() => backend.setThreads(1.5)).toThrow(/got 1.5/);
  });
});
