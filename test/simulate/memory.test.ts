/**
 * Memory estimate and refusal: the estimate by hand for a small shape, refusal with the estimate and the
 * way out (--force), the per-array limit even when forced.
 */
import { describe, expect, it } from 'vitest';
import { checkMemory, estimateMemory, type MemoryShape } from '../../src/simulate/memory.js';
import { SimulationError } from '../../src/simulate/errors.js';

const shape: MemoryShape = {
  d: 100,
  width: 200,
  n0: 50,
  n: 300,
  nTest: 1000,
  precision: 'float64',
  steps: 1,
  baselines: false,
  anatomy: false,
  riskMethod: 'monte-carlo',
  chunkRows: 10,
};

describe('estimateMemory', () => {
  it('sums the matrices alive in each stage (checked by hand)', () => {
    const e = estimateMemory(shape);
    // weights W0, W1: 2 * 100*200*8 = 320000
    expect(e.stages.step).toBe(320000 + 50 * 100 * 8 + 2 * 50 * 200 * 8);
    // readout: weights + Phi (300x200) + one input chunk (10x100) + the Gram, factorised in place (200^2 * 8)
    expect(e.stages.readout).toBe(320000 + 300 * 200 * 8 + 10 * 100 * 8 + 200 * 200 * 8);
    expect(e.peakStage).toBe('readout');
    expect(e.peakBytes).toBe(e.stages.readout);
  });
  it('float32 halves the feature matrices but not the float64 Gram', () => {
    const e = estimateMemory({ ...shape, precision: 'float32' });
    expect(e.stages.readout).toBe(160000 + 300 * 200 * 4 + 10 * 100 * 4 + 200 * 200 * 8);
  });
});

describe('checkMemory', () => {
  it('refuses with the estimate and the way out, unless forced', () => {
    const limitBytes = 1e5;
    expect(() => checkMemory(shape, { limitBytes })).toThrow(SimulationError);
    expect(() => checkMemory(shape, { limitBytes })).toThrow(/memory: this run needs about 1\.\d+ MiB \(stage "readout"; d = 100, width = 200, n0 = 50, n = 300, float64\).*--force/);
    expect(checkMemory(shape, { limitBytes, force: true }).peakBytes).toBeGreaterThan(limitBytes);
  });
  it('refuses an array beyond the engine limit even when forced', () => {
    const huge = { ...shape, d: 200000, width: 200000 };
    expect(() => checkMemory(huge, { force: true })).toThrow(/one matrix would need .* above the engine's limit/);
  });
});
