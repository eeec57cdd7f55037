/**
 * The network after one large step against the spiked random-features model with the matching
 * (c, r, gamma) (srf.md section 1; Cui et al. 2024, arXiv 2402.04980): tanh student and teacher, d = N =
 * 1000, alpha0 = 0.5, eta_tilde = 1, n = 3d, lambda = 0.01, exact risks. Both are simulated with the same
 * seeds (same W0, teacher and readout batch), so the comparison is paired: the mean difference over seeds
 * must lie within 3 standard errors of the paired differences plus a finite-size allowance of 2% (the
 * map is asymptotic; O(1/sqrt d) corrections). The same band must EXCLUDE plain random features (no
 * step), which shows that the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/run.js';

const SEEDS = 6;
const config = {
  d: 1000,
  psi: 1,
  alpha0: 0.5,
  alpha: 3,
  student: { activation: 'tanh' },
  teacher: { kind: 'single-index' as const, link: 'tanh', noise: 0 },
  step: { eta: 1, scaling: 'sqrtN' as const },
  ridge: { lambda: 0.01 },
  risk: { method: 'exact' as const },
};

function meanSem(xs: number[]): [number, number] {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  return [m, Math.sqrt(v / xs.length)];
}

describe('network vs sRF model (d = 1000, tanh/tanh, alpha0 = 0.5, eta_tilde = 1)', () => {
  it('test errors agree within the paired standard error plus 2%; random features lie outside that band', async () => {
    const net = await simulate({ ...config, model: 'network', report: { baselines: true, anatomy: false } }, { seeds: SEEDS, workers: 0 });
    const srf = await simulate({ ...config, model: 'srf', report: { baselines: false, anatomy: false } }, { seeds: SEEDS, workers: 0 });
    const rNet = net.runs.map((r) => r.testMSE);
    const rSrf = srf.runs.map((r) => r.testMSE);
    const rRf = net.runs.map((r) => r.baselines!.randomFeatures.testMSE);
    const [mSrf] = meanSem(rSrf);
    const [dNet, semNet] = meanSem(rNet.map((v, k) => v - rSrf[k]));
    const [dRf, semRf] = meanSem(rRf.map((v, k) => v - rSrf[k]));
    const band = (sem: number) => 3 * sem + 0.02 * mSrf;
    expect(Math.abs(dNet)).toBeLessThan(band(semNet));
    expect(Math.abs(dRf)).toBeGreaterThan(band(semRf));
  }, 120_000);
});
