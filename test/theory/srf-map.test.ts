import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/validate.js';
import { resolveExperimentConfig, type ExperimentConfigInput } from '../../src/models/experiment-config.js';
import { srfMap, srfNeuronMap } from '../../src/models/srf-map.js';

const cfg = (over: ExperimentConfigInput) => resolveExperimentConfig({ d: 1000, ...over });
const teacher = (link: string, noise = 0) => ({ kind: 'single-index' as const, link, noise });

describe('srfMap (srf.md section 1)', () => {
  // References: /tmp/mapref.py — the map's formulas evaluated with moments from scipy.integrate.quad
  // (an independent computation of every Hermite moment, E sigma'^2 and E sigma'').
  it('tanh/tanh with label noise matches the formulas (and srf.md: r, c, gamma = 1.218, 1.251, 0.602)', () => {
    const m = srfMap(cfg({ alpha0: 1, step: { eta: 2 }, teacher: teacher('tanh', 0.25) }));
    expect(m.variant).toBe('f0-corrected');
    expect(m.c).toBeCloseTo(1.25133602852688, 11);
    expect(m.r).toBeCloseTo(1.2181601626776775, 11);
    expect(m.gamma).toBeCloseTo(0.602349634478215, 11);
    expect(m.rho).toBeCloseTo(Math.sqrt(1 - 0.602349634478215 ** 2), 11);
    expect(m.s0).toBe(1);
    expect(m.M).toBeCloseTo(0.6442944903978413, 12);
    expect(m.neuronNormSquared).toBeCloseTo(m.c + m.r * m.r, 14);
    // the spec's three-digit values
    expect(m.r).toBeCloseTo(1.218, 3);
    expect(m.c).toBeCloseTo(1.251, 3);
    expect(m.gamma).toBeCloseTo(0.602, 3);
  });

  it('relu student, tanh teacher, eta_tilde = 3: the f0 correction shrinks neurons (s0 = 0.523 in srf.md)', () => {
    const m = srfMap(cfg({ alpha0: 1, step: { eta: 3 }, student: { activation: 'relu' }, teacher: teacher('tanh') }));
    expect(m.s0).toBeCloseTo(0.522535170724314, 11);
    expect(m.c).toBeCloseTo(1.5183042299957954, 10);
    expect(m.r).toBeCloseTo(1.439006374262231, 11);
    expect(m.gamma).toBeCloseTo(0.6313789018961434, 11);
    expect(m.f0).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 14);
    expect(m.notes.join(' ')).toMatch(/f0 correction/);
  });

  it('random readouts use f0 = 0 and a per-neuron map', () => {
    const c = cfg({ alpha0: 0.5, step: { eta: 1.5 }, student: { activation: 'relu' }, teacher: teacher('relu', 0.1), init: { a: 'rademacher' } });
    const m = srfMap(c);
    expect(m.variant).toBe('basic');
    expect(m.f0).toBe(0);
    expect(m.M).toBeCloseTo(0.6, 13);
    expect(m.s0).toBeCloseTo(1.2387324146378431, 11);
    expect(m.c).toBeCloseTo(2.209457995074501, 10);
    expect(m.r).toBeCloseTo(0.9031195934094223, 11);
    expect(m.gamma).toBeCloseTo(0.41522739926869984, 11);
    const plus = srfNeuronMap(m, 1);
    expect(plus.c).toBeCloseTo(m.c, 13);
    expect(plus.r).toBeCloseTo(m.r, 13);
    const minus = srfNeuronMap(m, -1);
    expect(minus.r).toBeCloseTo(-m.r, 13);
    // s0(-1) = 1 - eta E[sigma''] mu0* = 2 - s0(+1); bulk part unchanged by the sign
    expect(minus.s0).toBeCloseTo(2 - m.s0, 13);
    expect(minus.c - minus.s0 ** 2).toBeCloseTo(m.c - m.s0 ** 2, 12);
    // constant readout of the same config: f0 = mu0 = 1/sqrt(2 pi) = mu0*, so s0 = 1
    const k = srfMap({ ...c, init: { ...c.init, a: 'constant' } });
    expect(k.s0).toBeCloseTo(1, 14);
    expect(k.c).toBeCloseTo(1.4959506890216177, 10);
    expect(k.r).toBeCloseTo(0.7978569351842583, 11);
  });

  it('no step gives plain random features: r = 0, c = 1', () => {
    for (const step of [{ eta: 0 }, { eta: 2, steps: 0 }]) {
      const m = srfMap(cfg({ step }));
      expect(m.variant).toBe('no-step');
      expect([m.r, m.c, m.s0]).toEqual([0, 1, 1]);
    }
  });

  it('the map does not depend on the width', () => {
    const a = srfMap(cfg({ psi: 0.5, alpha0: 2, step: { eta: 1.3 } }));
    const b = srfMap(cfg({ psi: 2, alpha0: 2, step: { eta: 1.3 } }));
    expect(b.c).toBe(a.c);
    expect(b.r).toBe(a.r);
  });

  it('refuses configs outside the model, naming the key', () => {
    const bad = (over: ExperimentConfigInput, re: RegExp) => {
      expect(() => srfMap(cfg(over))).toThrow(ConfigError);
      expect(() => srfMap(cfg(over))).toThrow(re);
    };
    bad({ step: { eta: 1, scaling: 'one' } }, /step\.scaling.*"one"/);
    bad({ step: { eta: 1, steps: 2 } }, /step\.steps.*2/);
    bad({ step: { eta: 1, scaling: 'power', exponent: 0.3 } }, /step\.exponent.*0\.3/);
    bad({ student: { activation: 'sign' } }, /student\.activation.*sign/);
    // the power scaling with exponent 1/2 is the sqrtN step
    const p = srfMap(cfg({ step: { eta: 1, scaling: 'power', exponent: 0.5 } }));
    expect(p.r).toBe(srfMap(cfg({ step: { eta: 1 } })).r);
  });
});
