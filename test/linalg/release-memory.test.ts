// releaseMemory: the array stays usable (same length, writable, readable); on Linux the native backend
// really returns the whole pages inside it (they read as 0 afterwards), the partial pages at its ends keep
// their contents; the portable backend leaves it untouched.
import { describe, expect, it } from 'vitest';
import { backendsUnderTest } from './helpers.js';

describe.each(backendsUnderTest())('%s backend: releaseMemory', (name, backend) => {
  it('leaves a usable array; native on Linux zeroes exactly the whole pages inside it', () => {
    const a = new Float64Array(1 << 19).fill(1.5); // 4 MiB
    const view = a.subarray(1000, 300000);
    backend.releaseMemory(view);
    expect(a.length).toBe(1 << 19);
    if (name === 'native' && process.platform === 'linux') {
      // The view spans bytes 8000 .. 2400000 of a's buffer: entries outside it are never touched, its
      // middle (whole pages) reads 0, at most a page at each end keeps 1.5.
      expect(a[999]).toBe(1.5);
      expect(a[150000]).toBe(0);
      expect(a[300000]).toBe(1.5);
      let zeros = 0;
      for (let i = 1000; i < 300000; i++) if (a[i] === 0) zeros++;
      expect(zeros).toBeGreaterThan(290000);
    } else if (name === 'portable') {
      expect(a.every((v) => v === 1.5)).toBe(true);
    }
    view.fill(2);
    expect(a[150000]).toBe(2);
    const f = new Float32Array(1 << 20).fill(3);
    backend.releaseMemory(f);
    f[12345] = 4;
    expect(f[12345]).toBe(4);
  });
});
