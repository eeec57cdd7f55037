/**
 * risk.method = "exact" falls back to Monte Carlo, and says so, when the exact risk is not available:
 * the exact-risk module is replaced by a stub that refuses (vi.mock), so this checks run.ts's dispatch
 * only; the Monte Carlo numbers must equal those of risk.method = "monte-carlo" on the same seed.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/simulate/exact-risk.js', () => ({
  exactRisk: () => ({ ok: false, reason: 'stub: not exact here' }),
}));

const { runSeed } = await import('../../src/simulate/run.js');
const { resolveExperimentConfig } = await import('../../src/models/experiment-config.js');

describe('exact risk fallback', () => {
  it('uses Monte Carlo with a warning naming the reason, equal to the monte-carlo method', () => {
    const base = { d: 40, width: 30, n0: 20, n: 80, nTest: 400, report: { baselines: true, anatomy: false } };
    const exact = runSeed(resolveExperimentConfig({ ...base, risk: { method: 'exact' } }), 2);
    const mc = runSeed(resolveExperimentConfig({ ...base, risk: { method: 'monte-carlo' } }), 2);
    expect(exact.riskMethod).toBe('monte-carlo');
    expect(exact.risk).toBe(mc.risk);
    expect(exact.riskStdErr).toBe(mc.riskStdErr);
    expect(exact.baselines!.randomFeatures.riskMethod).toBe('monte-carlo');
    expect(exact.baselines!.randomFeatures.risk).toBe(mc.baselines!.randomFeatures.risk);
    expect(exact.warnings.join('\n')).toMatch(/risk.method = "exact" is not available for the trained network \(stub: not exact here\); used Monte Carlo with nTest = 400/);
    expect(mc.warnings).toEqual([]);
  });
});
