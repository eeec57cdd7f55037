/**
 * delta_NN at width m = 2 (multi-index.md section 5, our reconstruction): the m = 2 path (closed-form 2 x 2
 * Q, the branch tangent by the implicit-function theorem, the bulk edge as the root of dl/ds) against
 * witnesses that do not use it:
 * - two identical neurons (w_1 = w_2, so Q = [[1, 1], [1, 1]], a = (1/2, 1/2)): A = P diag(A_+, A_-) P^T with
 *   the fixed rotation P = [(1, 1), (1, -1)]/sqrt 2, A_+ = (A_11 + A_12 + A_21 + A_22)/2, A_- = (A_11 - A_12 -
 *   A_21 + A_22)/2, so H = H_+ ⊕ H_- with scalar weights: the bottom of H is the lower of the two scalar
 *   predictions (section 4, spectral.ts, on the same points), and an outlier of one block counts only below
 *   the other block's bulk;
 * - an inert neuron (a_2 = 0): delta_NN is the scalar threshold of the weights A_11;
 * - the bulk edge against the largest l on a fine continuation of the branch (a coarse step can land on
 *   another solution family of the sample-averaged equations beyond the fold);
 * - the branch tangent against central differences of cold-started branch points, and the bulk edge
 *   against the vertex of parabolas through l(s) at s_e (1 +- h) (Richardson-extrapolated in h).
 * m >= 3 (the flat general-m pass by the Cholesky factor of R^{-1} + A/delta): an m = 2 law with two unlearned
 * directions embedded as m = 4 with zero neurons must reproduce the closed-form m = 2 path (H = H_2 ⊕ 0 ⊕ 0
 * below 0), and two identical neurons plus inert ones (m = 3, 4) the scalar block problems as above.
 * (m identical neurons make H_- an (m - 1)-fold degenerate block: there the continuation stops ~6e-4 short of
 * the block's fold at m = 3, delta = 3, with the old pass as with the new one, so that witness is not used.)
 * Tolerances: the scalar witnesses solve the same equations to ~1e-12, the 45-degree split is exact up to
 * the rounding of Q^{1/2} (A_12 - A_21 and A_11 - A_22 of order 1e-8, entering the edge at second order);
 * overlaps come from a central difference (relative accuracy ~1e-7).
 */
import { describe, expect, it } from 'vitest';
import { getActivation } from '../../src/activations/index.js';
import { getMultiIndexTarget } from '../../src/models/multi-index-teacher.js';
import { rootKey } from '../../src/random/key.js';
import { bottomPrediction, branchPoint, bulkLowerEdge, deltaNN, hessianLaw, initialPhaseOnePoint, type HessianLaw } from '../../src/theory/multi-index/delta-nn.js';
import { spectralPrediction, spectralThreshold, type SpectralPrediction, type WeightLaw } from '../../src/theory/multi-index/spectral.js';

const pr = getMultiIndexTarget('phase-retrieval');

/** Scalar law of Z = -(v^T A v) on the same points (the top of -H is minus the bottom of H). */
function projectedLaw(law: HessianLaw, v: readonly number[]): WeightLaw {
  const m = law.m;
  const Z = new Float64Array(law.S);
  let tau = -Infinity;
  for (let s = 0; s < law.S; s++) {
    let t = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) t += v[i] * law.A[s * m * m + i * m + j] * v[j];
    Z[s] = -t;
    tau = Math.max(tau, Z[s]);
  }
  return { k: 1, Z, g: law.g, w: law.w, tau, tauKind: 'given', method: 'monte-carlo' };
}

/** The bottom of H = H_+ ⊕ H_- from the two scalar predictions (in H's sign convention). */
function blockWitness(plus: SpectralPrediction, minus: SpectralPrediction): { bulkEdge: number; outlier: boolean; bottom: number; overlap2: number } {
  const top = Math.max(plus.bulkEdge, minus.bulkEdge);
  const [hi, lo] = plus.topEigenvalue >= minus.topEigenvalue ? [plus, minus] : [minus, plus];
  const outlier = hi.outlier && hi.topEigenvalue > lo.bulkEdge;
  return { bulkEdge: -top, outlier, bottom: outlier ? -hi.topEigenvalue : -top, overlap2: outlier ? hi.overlap2 : 0 };
}

const r2 = Math.SQRT1_2;

/**
 * bottomPrediction of `law` against the block witness of the scalar laws `plus` and `minus` at each delta:
 * the same outlier verdict, bulk edge and bottom eigenvalue to 1e-9, overlap to 1e-5 (a finite difference).
 * Returns the number of deltas with an outlier.
 */
function sameAsBlocks(law: HessianLaw, plus: WeightLaw, minus: WeightLaw, deltas: readonly number[]): number {
  let outliers = 0;
  for (const delta of deltas) {
    const b = bottomPrediction(law, delta);
    const w = blockWitness(spectralPrediction(plus, delta), spectralPrediction(minus, delta));
    expect(b.outlier).toBe(w.outlier);
    if (w.outlier) outliers++;
    expect(Math.abs(b.bulkEdge - w.bulkEdge)).toBeLessThan(1e-9 * (1 + Math.abs(w.bulkEdge)));
    expect(Math.abs(b.bottomEigenvalue - w.bottom)).toBeLessThan(1e-9 * (1 + Math.abs(w.bottom)));
    expect(Math.abs(b.overlap2 - w.overlap2)).toBeLessThan(1e-5);
  }
  return outliers;
}

/** delta_NN of `law` separates "no outlier" (1e-4 below) from "outlier" (1e-4 above) in the block witness. */
function separatesBlocks(r: ReturnType<typeof deltaNN>, plus: WeightLaw, minus: WeightLaw): void {
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  for (const [f, expected] of [[1 - 1e-4, false], [1 + 1e-4, true]] as const) {
    const d = r.deltaNN * f;
    expect(blockWitness(spectralPrediction(plus, d), spectralPrediction(minus, d)).outlier).toBe(expected);
  }
}

/**
 * The bottom of H from `law` and from the same law embedded with inert neurons (H = H_small ⊕ 0 below 0):
 * bulk edge and bottom eigenvalue to 1e-9, overlap to 1e-5 (a finite difference), the same outlier verdicts
 * and margin signs (the margins differ by the inert block, -l_e > 0, only where it is the smallest
 * eigenvalue). Returns the number of deltas with an outlier.
 */
function sameBottom(law: HessianLaw, embeddedLaw: HessianLaw, deltas: number[]): number {
  let outliers = 0;
  for (const delta of deltas) {
    const b = bottomPrediction(law, delta);
    const e = bottomPrediction(embeddedLaw, delta);
    expect(b.bulkEdge).toBeLessThan(0);
    expect(e.outlier).toBe(b.outlier);
    if (b.outlier) outliers++;
    expect(Math.abs(b.bulkEdge - e.bulkEdge)).toBeLessThan(1e-9 * (1 + Math.abs(b.bulkEdge)));
    expect(Math.abs(b.bottomEigenvalue - e.bottomEigenvalue)).toBeLessThan(1e-9 * (1 + Math.abs(b.bottomEigenvalue)));
    expect(Math.abs(b.overlap2 - e.overlap2)).toBeLessThan(1e-5);
    expect(b.edgeMargin! < 0).toBe(e.edgeMargin! < 0);
  }
  return outliers;
}

describe('delta_NN at m = 2: two identical neurons split into two scalar problems', () => {
  for (const [act, deltas] of [['quadratic', [3, 60]], ['tanh', [3, 60]]] as const) {
    const law = hessianLaw(pr, 0, getActivation(act), { name: 'logcosh' }, { M: [[0], [0]], Q: [[1, 1], [1, 1]], a: [0.5, 0.5], b: 0 }, { method: 'monte-carlo', samples: 3000, key: rootKey(11) });
    const plus = projectedLaw(law, [r2, r2]);
    const minus = projectedLaw(law, [r2, -r2]);

    it(`${act}: bulk edge, bottom eigenvalue, outlier and overlap equal the block predictions`, () => {
      const outliers = sameAsBlocks(law, plus, minus, deltas);
      // quadratic: outliers at both deltas; tanh: none at m = 2 (the + block's outlier at 60 lies inside the - bulk)
      expect(outliers).toBe(act === 'quadratic' ? deltas.length : 0);
    });

    if (act === 'quadratic') {
      it('quadratic: delta_NN separates "no outlier" from "outlier" in the block witness', () => {
        separatesBlocks(deltaNN(law, { relTol: 1e-6 }), plus, minus);
      });
    }
  }
});

describe('delta_NN at m = 2: an inert neuron gives the scalar threshold', () => {
  it('a_2 = 0: delta_NN = delta_T of the weights A_11 (relTol 1e-6 each)', () => {
    const law = hessianLaw(pr, 0, getActivation('tanh'), { name: 'logcosh' }, { M: [[0], [0]], Q: [[1, 0], [0, 1]], a: [1, 0], b: 0 }, { method: 'monte-carlo', samples: 2500, key: rootKey(8) });
    const t = spectralThreshold(projectedLaw(law, [1, 0]));
    const r = deltaNN(law, { relTol: 1e-6 });
    expect(t.transition).toBe(true);
    expect(r.ok).toBe(true);
    if (!t.transition || !r.ok) return;
    expect(Math.abs(r.deltaNN / t.deltaT - 1)).toBeLessThan(1e-5);
  });
});

describe('delta_NN at m = 2: the bulk edge is the maximum of l along the branch', () => {
  it('sigmoid at the initial point, delta in {1, 4}: l_e >= l on a fine continuation (steps x 1.05) from far below the spectrum', () => {
    // at delta = 1 the sample-averaged equations have a second solution family beyond the fold (a step x 1.5 of
    // Newton lands on it, with a lower l): the edge must be the fold of the branch that starts at R ~ s I
    const law = hessianLaw(pr, 0, getActivation('sigmoid'), { name: 'logcosh' }, initialPhaseOnePoint(2, 1, 1), { key: rootKey(0) });
    for (const delta of [1, 4]) {
      const e = bulkLowerEdge(law, delta);
      let p = branchPoint(law, 0.2 / (law.normA * (1 + 1 / Math.sqrt(delta)) ** 2), delta);
      let top = -Infinity;
      let n = 0;
      while (p && p.s < 2 * e.s) {
        top = Math.max(top, p.l);
        n++;
        p = branchPoint(law, p.s * 1.05, delta, p);
      }
      expect(n).toBeGreaterThan(20);
      expect(top).toBeGreaterThan(e.l - 1e-2 * Math.abs(e.l)); // the grid comes near the edge (the jump was 12% below)
      expect(e.l).toBeGreaterThanOrEqual(top - 1e-12 * Math.abs(top));
    }
  });
});

describe('delta_NN at m = 2: the closed-form 2 x 2 path against the general-m path', () => {
  it('a generic m = 2 law embedded as m = 3 with a zero third neuron (A_3. = 0) gives the same bottom of H', () => {
    // H = H_2 ⊕ 0: below 0 the spectrum is H_2's; the m = 3 law runs passGeneral (Cholesky of R^{-1} + A/delta) and the generic Newton
    const law = hessianLaw(pr, 0, getActivation('tanh'), { name: 'logcosh' }, { M: [[0], [0]], Q: [[1, 0.3], [0.3, 0.8]], a: [0.7, -0.4], b: 0.1 }, { method: 'monte-carlo', samples: 1500, key: rootKey(3) });
    const A3 = new Float64Array(law.S * 9);
    for (let s = 0; s < law.S; s++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) A3[s * 9 + i * 3 + j] = law.A[s * 4 + i * 2 + j];
    const law3: HessianLaw = { ...law, m: 3, A: A3 };
    expect(sameBottom(law, law3, [3, 30])).toBe(1);
  });
});

describe('delta_NN at m = 2: branch tangent and bulk edge against finite differences', () => {
  // a generic point: correlated orthogonal parts, unequal second-layer weights, a bias
  const law = hessianLaw(pr, 0, getActivation('tanh'), { name: 'logcosh' }, { M: [[0], [0]], Q: [[1, 0.3], [0.3, 0.8]], a: [0.7, -0.4], b: 0.1 }, { method: 'monte-carlo', samples: 3000, key: rootKey(3) });
  /** l(s) from a cold start (R = s I: no tangent predictor). */
  const cold = (s: number, delta: number): { l: number; R: Float64Array } => {
    const p = branchPoint(law, s, delta);
    if (!p) throw new Error(`no branch point at s = ${s}`);
    return p;
  };

  it('dl/ds and dR/ds equal central differences of l(s) and R(s) (h = 1e-4 s: truncation ~1e-8)', () => {
    for (const delta of [0.5, 30]) {
      const e = bulkLowerEdge(law, delta);
      for (const f of [0.3, 0.7]) {
        const s = f * e.s;
        const p = branchPoint(law, s, delta);
        expect(p).not.toBeNull();
        if (!p || p.dlds === undefined || !p.dRds) throw new Error('no tangent');
        const h = 1e-4 * s;
        const a = cold(s - h, delta);
        const b = cold(s + h, delta);
        const fd = (b.l - a.l) / (2 * h);
        expect(Math.abs(p.dlds / fd - 1)).toBeLessThan(1e-6);
        let tr = 0;
        for (let i = 0; i < 4; i++) expect(Math.abs(p.dRds[i] - (b.R[i] - a.R[i]) / (2 * h))).toBeLessThan(1e-6);
        for (const i of [0, 3]) tr += p.dRds[i];
        expect(Math.abs(tr - 2)).toBeLessThan(1e-12);
      }
    }
  });

  it('the bulk edge is the maximum of l(s): vertex of parabolas through s_e (1 +- h), Richardson in h, within 1e-7', () => {
    for (const delta of [0.5, 3, 30]) {
      const e = bulkLowerEdge(law, delta);
      const vertex = (h: number): number => {
        const fm = cold(e.s * (1 - h), delta).l;
        const f0 = cold(e.s, delta).l;
        const fp = cold(e.s * (1 + h), delta).l;
        expect(Math.max(fm, fp)).toBeLessThan(e.l);
        expect(Math.abs(f0 - e.l)).toBeLessThan(1e-12 * (1 + Math.abs(e.l)));
        return e.s + (e.s * h * (fm - fp)) / (2 * (fm - 2 * f0 + fp));
      };
      const v = (4 * vertex(2e-4) - vertex(4e-4)) / 3;
      expect(Math.abs(v / e.s - 1)).toBeLessThan(1e-7);
    }
  });
});

/** The law of m0 + 2 neurons: `law` (m0 = 2) with zero neurons (A_j. = A_.j = 0) at the positions `inert`. */
function embedded(law: HessianLaw, m: number, inert: number[]): HessianLaw {
  const live = Array.from({ length: m }, (_, j) => j).filter((j) => !inert.includes(j));
  const A = new Float64Array(law.S * m * m);
  for (let s = 0; s < law.S; s++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) A[s * m * m + live[i] * m + live[j]] = law.A[s * 4 + i * 2 + j];
  return { ...law, m, A };
}

describe('delta_NN at m >= 3: the general-m pass (passGeneral) against witnesses that do not use it', () => {
  it('m = 2 law with two unlearned directions (norm2, k = 2) embedded as m = 4 (zero neurons 0 and 2): same bottom of H and delta_NN as the closed-form 2 x 2 path', () => {
    // H = H_2 ⊕ 0 ⊕ 0 below 0; ku = 2 exercises the off-diagonal (g_1 g_2) blocks of E[(g g^T) ⊗ Q]
    const norm2 = getMultiIndexTarget('norm2', 2);
    const law = hessianLaw(norm2, 0, getActivation('quadratic'), { name: 'logcosh' }, { M: [[0, 0], [0, 0]], Q: [[1, 0.3], [0.3, 0.8]], a: [0.7, -0.4], b: 0.1 }, { method: 'monte-carlo', samples: 800, key: rootKey(5) });
    expect(law.ku).toBe(2);
    const law4 = embedded(law, 4, [0, 2]);
    expect(sameBottom(law, law4, [2, 30])).toBeGreaterThan(0);
    const range: [number, number] = [0.25, 256];
    const r2 = deltaNN(law, { relTol: 1e-6, range });
    const r4 = deltaNN(law4, { relTol: 1e-6, range });
    expect(r2.ok && r4.ok).toBe(true);
    if (!r2.ok || !r4.ok) return;
    // both brackets have hi/lo - 1 <= 1e-6 around the same sign change of the real block's margin
    expect(Math.abs(r4.deltaNN / r2.deltaNN - 1)).toBeLessThan(2e-6);
  });

  for (const m of [3, 4]) {
    it(`m = ${m}: two identical neurons and ${m - 2} inert one(s) (quadratic): bottom of H and delta_NN from the scalar problems of the blocks (1, 1, 0, ..)/sqrt 2 and (1, -1, 0, ..)/sqrt 2`, () => {
      // A = (alpha 1 1^T + beta I) ⊕ 0 at every point: H = H_+ ⊕ H_- ⊕ 0 with the scalar weights of v_+ and v_-
      // (section 4 on the same points); m identical neurons: see the file comment.
      const Q = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i < 2 && j < 2 ? 1 : i === j ? 1 : 0)));
      const a = Array.from({ length: m }, (_, i) => (i < 2 ? 0.5 : 0));
      const law = hessianLaw(pr, 0, getActivation('quadratic'), { name: 'logcosh' }, { M: Array.from({ length: m }, () => [0]), Q, a, b: 0 }, { method: 'monte-carlo', samples: 800, key: rootKey(13) });
      const plus = projectedLaw(law, Array.from({ length: m }, (_, i) => (i < 2 ? r2 : 0)));
      const minus = projectedLaw(law, Array.from({ length: m }, (_, i) => (i === 0 ? r2 : i === 1 ? -r2 : 0)));
      expect(sameAsBlocks(law, plus, minus, [0.5, 3, 60])).toBeGreaterThan(0);
      if (m === 4) return; // delta_NN at m = 4: the embedding test above
      separatesBlocks(deltaNN(law, { relTol: 1e-6, range: [0.25, 256] }), plus, minus);
    });
  }
});
