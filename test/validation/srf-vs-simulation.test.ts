/**
 * Issue 4, validation bullet 2: the sRF theory (src/theory/srf, mp spectrum) against simulations of the
 * network after one large step (model "network") and of the sRF model drawn directly (model "srf"):
 * tanh student and teacher, alpha0 = 0.5, eta_tilde = 1, lambda = 0.01, alpha = n/d in {1, 2} (1 is the
 * interpolation point n = N), and a sin teacher with a larger step (alpha0 = 1, eta_tilde = 2).
 * Tolerance: 3 standard errors of the mean over 4 seeds + 3% (the finite-size bias of the asymptotic
 * theory at d = 1000: O(1/sqrt d) fluctuations of the spike/bulk map and of the spectrum, srf.md
 * sections 1 and 3 report 1–3%). The risk of a run is the simulation's exact population risk.
 * N = d/2 (network and sRF model) and N = 2d (sRF model) check the N != d normalisations. About 45 s on 2 cores (more when other jobs load the machine).
 */
import { describe, expect, it } from 'vitest';
import { resolveExperimentConfig, type ExperimentConfigInput } from '../../src/models/experiment-config.js';
import { simulate } from '../../src/simulate/run.js';
import type { Stats } from '../../src/simulate/summary.js';
import { srfTheory } from '../../src/theory/srf/index.js';

const D = 1000;
const SEEDS = 4;

const base: ExperimentConfigInput = {
  d: D,
  psi: 1,
  alpha0: 0.5,
  step: { eta: 1, scaling: 'sqrtN' },
  ridge: { lambda: 0.01 },
  report: { anatomy: false, baselines: false },
};

const cases: [string, ExperimentConfigInput][] = [];
for (const alpha of [1, 2]) cases.push([`tanh/tanh alpha = ${alpha}`, { ...base, alpha }]);
// N != d (srf.md sections 3-4 normalisations: alpha = n/N, F_j ~ c N/d, H_j ~ (N/d) D_j).
cases.push(['tanh/tanh N = d/2, alpha0 = 1, eta_tilde = 2, alpha = 0.8 (d = 1000)', { ...base, psi: 0.5, alpha: 0.8, alpha0: 1, step: { eta: 2, scaling: 'sqrtN' } }]);
cases.push([
  'tanh/sin, eta_tilde = 2, alpha0 = 1, alpha = 1.5, lambda = 0.05',
  { ...base, alpha: 1.5, alpha0: 1, step: { eta: 2, scaling: 'sqrtN' }, ridge: { lambda: 0.05 }, teacher: { kind: 'single-index', link: 'sin', noise: 0 } },
]);

// N = 2d against the sRF model only (d = 600 keeps it cheap): it isolates the equations and their N != d
// normalisations from the map. The network at N = 2d has a per-seed spread of ~5% of the risk, so 4 seeds
// give an unreliable standard error (measured groups of seeds: -5.3% / +1.0% at d = 600, +0.8% at d = 1000,
// -2.3% at d = 400; docs/srf.md): it is reported there, not tested here.
const srfOnly: [string, ExperimentConfigInput][] = [
  ['tanh/tanh N = 2d, alpha0 = 1, eta_tilde = 2, alpha = 4 (d = 600)', { ...base, d: 600, psi: 2, alpha: 4, alpha0: 1, step: { eta: 2, scaling: 'sqrtN' } }],
];

describe('sRF theory against simulation (d = 1000, 4 seeds)', () => {
  const runs: [string, ExperimentConfigInput, 'network' | 'srf'][] = [
    ...cases.flatMap(([n, o]) => (['network', 'srf'] as const).map((m): [string, ExperimentConfigInput, 'network' | 'srf'] => [n, o, m])),
    ...srfOnly.map(([n, o]): [string, ExperimentConfigInput, 'network' | 'srf'] => [n, o, 'srf']),
  ];
  for (const [name, over, model] of runs) {
    {
      it(`${name}, model ${model}`, async () => {
        const config = resolveExperimentConfig({ ...over, model });
        const theory = srfTheory(config);
        if (!theory.ok) throw new Error(`theory failed: ${theory.message}`);
        const sim = await simulate(config, { seeds: SEEDS, workers: 0 });
        for (const [q, th] of [
          ['risk', theory.risk],
          ['trainError', theory.trainError],
        ] as const) {
          const s = sim.summary[q] as Stats;
          if (s.sem === null) throw new Error('need several seeds');
          if (process.env.FEATLEARN_VALIDATION_LOG) console.log(name, model, q, th, s.mean, s.sem, (th - s.mean) / s.sem);
          expect(Math.abs(th - s.mean)).toBeLessThan(3 * s.sem + 0.03 * s.mean);
        }
      });
    }
  }
});
