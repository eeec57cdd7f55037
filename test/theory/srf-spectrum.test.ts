import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { rootKey, foldIn } from '../../src/random/key.js';
import { discreteSpectrum, mpIntegrals, mpQuadratureSpectrum, mpSpectrum, sampleSrfSpectrum, spectrumFromWeights } from '../../src/theory/srf/index.js';

// [y, w, E 1/(x+w), E x/(x+w), E 1/(x+w)^2, E x/(x+w)^2, E x^2/(x+w)^2] for x ~ Marchenko–Pastur(y) with its
// atom 1 - 1/y at 0 when y > 1. Made with /tmp/mpref.py: scipy.integrate.quad of the MP density with the
// algebraic end-point weight (weight='alg'), i.e. independently of the Stieltjes closed form under test.
const MP_REF = [
  [0.5, 0.001, 1.9920476508550136, 0.9980079523491451, 7.905044604708161, 1.9841426062503051, 0.996023809742895],
  [0.5, 0.3, 1.0451762418866815, 0.6864471274339956, 1.4290950788190242, 0.6164477182409742, 0.5015128119617034],
  [0.5, 50.0, 0.019611577246487648, 0.019421137675617633, 0.0003846865102371338, 0.00037725173463095654, 0.0005585509440698012],
  [1.0, 0.001, 31.126729201736943, 0.968873270798263, 15809.412247806516, 15.31731695393042, 0.9535559538443327],
  [1.0, 0.3, 1.3929694486000914, 0.5821091654199726, 2.934836354418746, 0.5125185422744674, 0.42835360273763246],
  [1.0, 50.0, 0.01961524227066319, 0.019237886466840597, 0.00038490017945975053, 0.00037023329767566263, 0.0007262215830574685],
  [2.5, 0.001, 600.2663708304142, 0.39973362916958594, 600000.2953770682, 0.2660754533459579, 0.39946755371623993],
  [2.5, 0.3, 2.2047538337136987, 0.33857384988589057, 6.813579317759163, 0.16068003838594966, 0.29036983837010566],
  [2.5, 50.0, 0.019625841133510815, 0.018707943324459415, 0.00038551094988808696, 0.0003502936391064676, 0.001193261369136025],
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('Marchenko–Pastur integrals (exact, Stieltjes transform)', () => {
  it('match scipy quadrature of the density', () => {
    for (const [y, w, g, u, k0, k1, k2] of MP_REF) {
      const m = mpIntegrals(y, w);
      // quad reported round-off warnings near the singular cases: 1e-9 relative is its accuracy here
      expect(rel(m.g, g)).toBeLessThan(1e-9);
      expect(rel(m.u, u)).toBeLessThan(1e-9);
      expect(rel(m.k0, k0)).toBeLessThan(1e-9);
      expect(rel(m.k1, k1)).toBeLessThan(1e-9);
      expect(rel(m.k2, k2)).toBeLessThan(1e-9);
    }
  });

  it('stay accurate for huge w (lambda -> infinity) where naive forms cancel', () => {
    for (const y of [0.3, 1, 3]) {
      const w = 1e12;
      const m = mpIntegrals(y, w);
      // series in 1/w: E 1/(x+w) = 1/w - 1/w^2 + ..., E x/(x+w) = 1/w - (1+y)/w^2 (E x = 1, E x^2 = 1 + y)
      expect(rel(m.g, 1 / w - 1 / w ** 2)).toBeLessThan(1e-14);
      expect(rel(m.u, 1 / w - (1 + y) / w ** 2)).toBeLessThan(1e-14);
      expect(rel(m.k2, (1 + y) / w ** 2)).toBeLessThan(1e-10);
    }
  });

  it('agree with the discretised law (midpoint rule in the angle) on every spectral sum', () => {
    for (const y of [0.5, 2]) {
      const c = 1.3;
      const exact = mpSpectrum(c, y);
      const quad = mpQuadratureSpectrum(c, y, 2000);
      for (const [lambda, Vh1, Vh2] of [
        [0.01, 0.8, 0.05],
        [1, 2, 0.3],
        [1e-6, 0.5, 0.2],
      ]) {
        const a = exact.sums(lambda, Vh1, Vh2);
        const b = quad.sums(lambda, Vh1, Vh2);
        for (const key of Object.keys(a) as (keyof typeof a)[]) expect(rel(b[key], a[key])).toBeLessThan(1e-12);
      }
    }
  });

  it('constant S (Vh1 = 0) uses the moments E x = 1, E x^2 = 1 + y', () => {
    const s = mpSpectrum(2, 0.5).sums(0.1, 0, 0.4);
    expect(s.A0).toBeCloseTo(2, 14);
    expect(s.A1).toBeCloseTo(4, 14);
    expect(s.B2).toBeCloseTo((4 * 1.5) / 0.25, 12);
    expect(s.AF).toBeCloseTo(2 * 0.5 * 2, 14);
  });
});

describe('sampled spectrum', () => {
  const backend = getBackend();
  const at = [0.05, 1.1, 0.2] as const; // (lambda, Vh1, Vh2)

  it('has the structure of srf.md section 3 (F_j ~ c N/d on average, H_j ~ (N/d) D_j, zero eigenvalues when N > d)', () => {
    const c = 1.4;
    const N = 300;
    const d = 150;
    const s = sampleSrfSpectrum(backend, { N, d, c, key: rootKey(11) });
    expect(s.ratio).toBe(2);
    // N - d + 1 zero eigenvalues (Pi removes one more direction)
    expect(s.zeroMass).toBeCloseTo((N - d + 1) / N, 12);
    // with S = 1 (lambda = 1, Vh1 = Vh2 = 0): AF = mean F = c |Wv|^2 N/N ... ≈ c N/d up to 1/sqrt(N d)
    const one = s.sums(1, 0, 0);
    // mean D = c tr(W Pi W^T) / N = c mean_i (1 - <w_i, v>^2), and E <w_i, v>^2 = 1/d
    expect(Math.abs(one.A1 - (c * (d - 1)) / d)).toBeLessThan(0.01);
    expect(Math.abs(one.AF - c * 2) / (c * 2)).toBeLessThan(0.15);
    expect(Math.abs(one.AH - 2 * one.A1) / (2 * one.A1)).toBeLessThan(0.15);
  });

  it('approaches the Marchenko–Pastur sums as d grows (errors averaged over 3 draws)', () => {
    const c = 1.2;
    const exact = mpSpectrum(c, 1).sums(...at);
    const err = (d: number) => {
      let e = 0;
      for (let seed = 0; seed < 3; seed++) {
        const s = sampleSrfSpectrum(backend, { N: d, d, c, key: foldIn(rootKey(5), `${d}-${seed}`) }).sums(...at);
        e += Math.max(rel(s.A0, exact.A0), rel(s.A1, exact.A1), rel(s.AF, exact.AF), rel(s.AH, exact.AH), rel(s.B0, exact.B0));
      }
      return e / 3;
    };
    const e100 = err(100);
    const e400 = err(400);
    // the worst of the sums (the F, H ones: N chi-square-like terms) fluctuates by O(1/sqrt(N)) per draw,
    // the eigenvalue sums by O(1/N): a few percent at d = 400, and clearly smaller than at d = 100
    // measured: e100 ≈ 0.19, e400 ≈ 0.047 (seed-dependent)
    expect(e400).toBeLessThan(0.1);
    expect(e400).toBeLessThan(0.5 * e100);
  });

  it('spectrumFromWeights: W = I (N = d) has closed-form sums', () => {
    // Omega = c Pi = c diag(0, 1, ..., 1) for v = e1, zeta = e2: D = 0 once (eigenvector v, F = N c),
    // D = c (d - 1 times); W zeta = e2 lies in the eigenvalue-c space: the H_j there sum to N c.
    const d = 6;
    const c = 1.7;
    const W = { rows: d, cols: d, data: new Float64Array(d * d) };
    for (let i = 0; i < d; i++) W.data[i * d + i] = 1;
    const v = new Float64Array(d);
    const zeta = new Float64Array(d);
    v[0] = 1;
    zeta[1] = 1;
    const [lambda, Vh1, Vh2] = [0.3, 0.8, 0.1];
    const s = spectrumFromWeights(backend, W, v, zeta, c).sums(lambda, Vh1, Vh2);
    const S0 = lambda + Vh2;
    const S1 = lambda + Vh1 * c + Vh2;
    expect(s.A0).toBeCloseTo((1 / S0 + (d - 1) / S1) / d, 14);
    expect(s.A1).toBeCloseTo(((d - 1) * c) / S1 / d, 14);
    expect(s.AF).toBeCloseTo(c / S0, 13);
    expect(s.AH).toBeCloseTo(c / S1, 13);
    expect(s.BDH).toBeCloseTo((c * c) / (S1 * S1), 13);
    expect(() => spectrumFromWeights(backend, W, v, v, c)).toThrow(/orthonormal/);
  });

  it('is reproducible from its key', () => {
    const a = sampleSrfSpectrum(backend, { N: 50, d: 60, c: 1, key: rootKey(3) }).sums(...at);
    const b = sampleSrfSpectrum(backend, { N: 50, d: 60, c: 1, key: rootKey(3) }).sums(...at);
    expect(b).toEqual(a);
  });

  it('discreteSpectrum validates its input', () => {
    expect(() => discreteSpectrum({ D: [1, 2], F: [1], H: [1, 1], c: 1, ratio: 1 })).toThrow(/equal length/);
    expect(() => discreteSpectrum({ D: [1, -2], F: [1, 1], H: [1, 1], c: 1, ratio: 1 })).toThrow(/entry 1/);
    expect(() => discreteSpectrum({ D: [1, 2], F: [1, 1], H: [1, 1], weights: [0.5, 0.6], c: 1, ratio: 1 })).toThrow(/sum to 1/);
  });
});
