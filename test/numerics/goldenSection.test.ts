import { describe, expect, it } from 'vitest';
import { goldenSection } from '../../src/numerics/goldenSection.js';

describe('goldenSection', () => {
  it('finds the minimum of a unimodal function to the bracket tolerance', () => {
    const r = goldenSection((x) => (x - 0.3) ** 2 + 1, 0, 1, 1e-9);
    // at a quadratic minimum f is flat to machine precision within ~sqrt(eps) = 1.5e-8 of it
    expect(Math.abs(r.x - 0.3)).toBeLessThan(1e-7);
    expect(r.value).toBeCloseTo(1, 14);
  });

  it('handles a minimum at the end of the bracket and +infinity values', () => {
    const r = goldenSection((x) => (x < 0.5 ? Infinity : x), 0, 2, 1e-10);
    expect(Math.abs(r.x - 0.5)).toBeLessThan(1e-9);
  });
});
