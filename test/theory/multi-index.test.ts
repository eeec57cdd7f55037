/**
 * delta_alg (multi-index.md section 3) and spectral thresholds (section 4) against closed forms and
 * scipy references (commands in the comments), plus identities and refusals.
 */
import { describe, expect, it } from 'vitest';
import { getMultiIndexTarget, registerMultiIndexTarget, unregisterMultiIndexTarget } from '../../src/models/multi-index-teacher.js';
import { rootKey } from '../../src/random/key.js';
import { deltaAlg } from '../../src/theory/multi-index/delta-alg.js';
import { optimalPreprocessing, spectralPrediction, spectralThreshold, weightLaw } from '../../src/theory/multi-index/spectral.js';
import { parsePreprocessing } from '../../src/theory/multi-index/index.js';

/*
 * y = z1 z2: p(y) = K0(|y|)/pi, E[z1^2 | y] = |y| K1(|y|)/K0(|y|) (hyperbola integral), so
 * E[(E[z1^2|y] - 1)^2] = 0.684207411142628 and delta_alg = 1/(1 + that) = 0.593751098222257, from
 *   python3 -c "import numpy as np; from scipy import integrate, special as s
 *   f=lambda y: s.k0e(y)*np.exp(-y)/np.pi*(y*s.k1e(y)/s.k0e(y)-1)**2
 *   v=2*sum(integrate.quad(f,a,b,limit=400,epsabs=1e-14,epsrel=1e-13)[0] for a,b in [(0,1e-6),(1e-6,1),(1,10),(10,200)]); print(v, 1/(1+v))"
 */
const PRODUCT_E = 0.684207411142628;
const PRODUCT_DELTA = 0.593751098222257;

describe('delta_alg by level-set quadrature', () => {
  it('phase retrieval y = z^2 gives 1/2 (Mondelli & Montanari 2018) to 1e-6, also |z| and with extra irrelevant directions', () => {
    for (const [name, k] of [['phase-retrieval', 1], ['abs', 1], ['phase-retrieval', 3]] as const) {
      const r = deltaAlg(getMultiIndexTarget(name, k));
      expect(r.method).toBe('level-set-z1');
      expect(r.trivialDirections).toEqual([]);
      expect(Math.abs(r.deltaAlg! - 0.5)).toBeLessThan(1e-6);
      expect(Math.abs(r.mass - 1)).toBeLessThan(1e-10);
      // the top eigen-matrix is e1 e1^T
      expect(Math.abs(Math.abs(r.topEigenmatrix[0]) - 1)).toBeLessThan(1e-8);
    }
  });

  it('|z|^2 in k dimensions: delta_alg = k/2 and F = (2/k) Id (G = (|z|^2/k - 1) I), k = 1..4, both normalisations', () => {
    for (let k = 1; k <= 4; k++) {
      for (const name of ['norm2-sum', 'norm2']) {
        const r = deltaAlg(getMultiIndexTarget(name, k));
        expect(r.method).toBe('level-set-radial');
        expect(Math.abs(r.deltaAlg! - k / 2)).toBeLessThan(1e-6 * k);
        expect(r.eigenvalues).toHaveLength((k * (k + 1)) / 2);
        for (const e of r.eigenvalues) expect(Math.abs(e - 2 / k)).toBeLessThan(1e-8);
      }
    }
  });

  it('y = z1 z2: 0.5937510982 (scipy Bessel reference), F eigenvalues 1 + E, 1 + E, E - 1', () => {
    const r = deltaAlg(getMultiIndexTarget('product', 2));
    expect(r.method).toBe('hyperbola');
    expect(Math.abs(r.deltaAlg! - PRODUCT_DELTA)).toBeLessThan(1e-7);
    expect(r.deltaAlgError).toBeLessThan(1e-8);
    // E[(m -1 +- y)^2] = E + 1 (E[y(m-1)] = 0 by y -> -y), mixed direction E[(m-1)^2 - y^2] = E - 1
    const expected = [1 + PRODUCT_E, 1 + PRODUCT_E, PRODUCT_E - 1];
    r.eigenvalues.forEach((e, i) => expect(Math.abs(e - expected[i])).toBeLessThan(1e-7));
  });

  it('trivial directions: odd links and links with an atom (relu) are learnable at any delta', () => {
    for (const name of ['tanh', 'relu', 'linear']) {
      const r = deltaAlg(getMultiIndexTarget(name));
      expect(r.deltaAlg).toBe(0);
      expect(r.trivialDirections).toHaveLength(1);
      expect(Math.abs(Math.abs(r.trivialDirections[0][0]) - 1)).toBeLessThan(1e-12);
    }
    // relu: E[E[z|y]^2] = E[z^2 1{z > 0}] + P(z <= 0) E[z | z <= 0]^2 = 1/2 + (1/2)(2/pi) (the atom y = 0)
    const relu = deltaAlg(getMultiIndexTarget('relu'));
    expect(Math.abs(relu.trivialEigenvalues[0] - (0.5 + 1 / Math.PI))).toBeLessThan(1e-8);
  });

  it('a constant link carries no information: deltaAlg is null with a warning, not a number', () => {
    const r = deltaAlg(getMultiIndexTarget('poly:1'));
    expect(r.deltaAlg).toBeNull();
    expect(r.warnings.join(' ')).toMatch(/no second-order information/);
  });
});

describe('delta_alg by cross-fitted binned Monte Carlo', () => {
  it('z1 z2 and phase retrieval: within 4 standard errors (+ 2% binning allowance) of the exact values, with an error bar', () => {
    const opts = { method: 'monte-carlo' as const, key: rootKey(11), replicates: 6, monteCarlo: { samples: 60000, bins: 200 } };
    const p = deltaAlg(getMultiIndexTarget('product', 2), 0, opts);
    expect(p.method).toBe('monte-carlo');
    expect(p.deltaAlgError).toBeGreaterThan(0);
    expect(Math.abs(p.deltaAlg! - PRODUCT_DELTA)).toBeLessThan(4 * p.deltaAlgError + 0.02 * PRODUCT_DELTA);
    const q = deltaAlg(getMultiIndexTarget('phase-retrieval'), 0, opts);
    expect(Math.abs(q.deltaAlg! - 0.5)).toBeLessThan(4 * q.deltaAlgError + 0.01);
    // reproducible from the key
    expect(deltaAlg(getMultiIndexTarget('product', 2), 0, opts).deltaAlg).toBe(p.deltaAlg);
  });

  it('the staircase z1 + z1 z2 has a trivial direction; noise raises delta_alg of phase retrieval', () => {
    const opts = { key: rootKey(5), replicates: 4, monteCarlo: { samples: 40000, bins: 100 } };
    const s = deltaAlg(getMultiIndexTarget('staircase', 2), 0, opts);
    expect(s.deltaAlg).toBe(0);
    expect(s.trivialDirections.length).toBeGreaterThanOrEqual(1);
    if (s.trivialDirections.length < 2) expect(s.complement?.note).toMatch(/staircase/);
    const noisy = deltaAlg(getMultiIndexTarget('phase-retrieval'), 1, opts);
    expect(noisy.method).toBe('monte-carlo');
    expect(noisy.deltaAlg!).toBeGreaterThan(0.5 + 4 * noisy.deltaAlgError);
  });

  it('user targets go through Monte Carlo', () => {
    registerMultiIndexTarget({ name: 'test-sq-diff', k: 2, g: (z) => z[0] * z[0] - z[1] * z[1], symmetry: { even: true } });
    try {
      // y = z1^2 - z2^2 = 2 u v with u, v the rotated coordinates: the product law scaled, delta_alg = 0.5937...
      const r = deltaAlg(getMultiIndexTarget('test-sq-diff'), 0, { key: rootKey(2), replicates: 5, monteCarlo: { samples: 60000, bins: 200 } });
      expect(Math.abs(r.deltaAlg! - PRODUCT_DELTA)).toBeLessThan(4 * r.deltaAlgError + 0.02);
    } finally {
      unregisterMultiIndexTarget('test-sq-diff');
    }
  });

  it('refuses bad input naming the parameter', () => {
    const pr = getMultiIndexTarget('phase-retrieval');
    expect(() => deltaAlg(pr, -1)).toThrow(/noise must be a finite number >= 0, got -1/);
    expect(() => deltaAlg(getMultiIndexTarget('staircase', 2), 0, { method: 'quadrature' })).toThrow(/no level-set quadrature for target "staircase"/);
    expect(() => deltaAlg(pr, 0, { method: 'monte-carlo', replicates: 1 })).toThrow(/replicates must be an integer >= 2/);
    expect(() => deltaAlg(pr, 0, { method: 'fast' as never })).toThrow(/method must be/);
  });
});

/*
 * Trimmed T(y) = y 1{y <= 3}, y = z^2: scipy reference (adaptive quad in z with breakpoints clustered at
 * sqrt(3), brentq; script /tmp/chk3.py of this session, reproduced in docs/thresholds.md):
 *   l_c = 4.67162642697485, delta_T = 6.95788110078152;
 *   delta = 10: l* = 5.58056039542722, top eigenvalue 1.42107893306591, overlap^2 0.135849516606682;
 *   delta = 40: top eigenvalue 1.04116868166402, overlap^2 0.623867227858615;
 *   delta = 4: no outlier, bulk edge 2.09187353960663.
 */
describe('spectral thresholds (Lu & Li 2017; Mondelli & Montanari 2018)', () => {
  const pr = getMultiIndexTarget('phase-retrieval');
  const trimmed = weightLaw(pr, 0, (y) => (y <= 3 ? y : 0), { yKinks: [3] });

  it('trimmed T: delta_T, top eigenvalue and overlap against the scipy reference', () => {
    const t = spectralThreshold(trimmed);
    expect(t.transition).toBe(true);
    if (!t.transition) return;
    expect(Math.abs(t.deltaT - 6.95788110078152)).toBeLessThan(1e-8);
    expect(Math.abs(t.lc - 4.67162642697485)).toBeLessThan(1e-7);
    const p10 = spectralPrediction(trimmed, 10);
    expect(p10.outlier).toBe(true);
    expect(Math.abs(p10.topEigenvalue - 1.42107893306591)).toBeLessThan(1e-9);
    expect(Math.abs(p10.overlap2 - 0.135849516606682)).toBeLessThan(1e-8);
    const p40 = spectralPrediction(trimmed, 40);
    expect(Math.abs(p40.topEigenvalue - 1.04116868166402)).toBeLessThan(1e-9);
    expect(Math.abs(p40.overlap2 - 0.623867227858615)).toBeLessThan(1e-8);
    const p4 = spectralPrediction(trimmed, 4);
    expect(p4.outlier).toBe(false);
    expect(p4.overlap2).toBe(0);
    expect(Math.abs(p4.topEigenvalue - 2.09187353960663)).toBeLessThan(1e-9);
  });

  it('the optimal T* = 1 - 1/E[z^2|y] reaches delta_alg = 1/2; every other T does no better', () => {
    const opt = spectralThreshold(weightLaw(pr, 0, optimalPreprocessing(pr), { tau: 1 }));
    expect(opt.transition && Math.abs(opt.deltaT - 0.5)).toBeLessThan(1e-6);
    for (const spec of ['trimmed:2', 'clip:3', 'tanh', 'clip:10']) {
      const pre = parsePreprocessing(spec, pr);
      const t = spectralThreshold(weightLaw(pr, 0, pre.T, { yKinks: pre.yKinks, tau: pre.tau }));
      if (t.transition) expect(t.deltaT).toBeGreaterThan(0.5 - 1e-9);
    }
  });

  it('unbounded T (T = y) has no transition: reported, and predictions refuse', () => {
    const law = weightLaw(pr, 0, (y) => y);
    const t = spectralThreshold(law);
    expect(t.transition).toBe(false);
    if (!t.transition) expect(t.reason).toBe('unbounded');
    expect(() => spectralPrediction(law, 2)).toThrow(/unbounded/);
  });

  it('the smallest eigenvalue via -T: no positive sup, no outlier above', () => {
    const t = spectralThreshold(weightLaw(pr, 0, (y) => -Math.tanh(y), { tau: 0 }));
    expect(t.transition).toBe(false);
    if (!t.transition) expect(t.reason).toBe('tau-not-positive');
  });

  it('y = z1 z2 with T = tanh y: spike directions (1, +-1)/sqrt 2 by symmetry, finite delta_T', () => {
    const law = weightLaw(getMultiIndexTarget('product', 2), 0, Math.tanh, { tau: 1 });
    expect(law.k).toBe(2);
    const t = spectralThreshold(law);
    expect(t.transition).toBe(true);
    const p = spectralPrediction(law, 50);
    expect(Math.abs(Math.abs(p.direction[0]) - Math.SQRT1_2)).toBeLessThan(1e-6);
    expect(Math.abs(Math.abs(p.direction[1]) - Math.SQRT1_2)).toBeLessThan(1e-6);
  });

  it('refuses bad input', () => {
    expect(() => weightLaw(pr, 0, 3 as never)).toThrow(/T must be a function/);
    expect(() => spectralPrediction(trimmed, -1)).toThrow(/delta must be a finite number > 0, got -1/);
    expect(() => parsePreprocessing('trim:3')).toThrow(/expected one of identity, optimal/);
    expect(() => optimalPreprocessing(getMultiIndexTarget('product', 2))).toThrow(/single-index links/);
  });
});
