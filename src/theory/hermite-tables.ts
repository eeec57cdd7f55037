/**
 * The Hermite toolkit of the theory engine (issue 4, item 1):
 * - `hermiteSummary`: mu_0..mu_K, E sigma^2 and mu_perp of a student activation or a teacher link;
 * - `conditionalTables`: the conditional coefficients of srf.md section 2 (Cui et al. 2024, arXiv
 *   2402.04980, the "conditional Gaussian equivalence" of its section 4) tabulated on the nodes of a
 *   Gauss–Hermite rule in kappa = <v, x> ~ N(0, 1), so that every kappa-integral of the sRF equations is a
 *   weighted sum over the table (vectorised: one Float64Array per column).
 *
 * Given kappa, with z ~ N(0, 1):
 *   mu0(k) = E sigma(r k + sqrt(c) z),  mu1(k) = E[sigma(r k + sqrt(c) z) sqrt(c) z] / c,
 *   mu2(k)^2 = E sigma(r k + sqrt(c) z)^2 - mu0(k)^2 - c mu1(k)^2   (>= 0),
 *   h(k) = E sigma*(gamma k + rho z),  h1(k) = E[z sigma*(gamma k + rho z)],  hh(k) = E sigma*(gamma k + rho z)^2.
 * In the normalised Hermite coefficients nu_j of z -> sigma(r k + sqrt(c) z) (src/activations, closed
 * forms where they exist, quadrature split at the kinks otherwise): mu0 = nu_0, mu1 = nu_1 / sqrt(c),
 * mu2^2 = E sigma^2 - nu_0^2 - nu_1^2; likewise h = nu*_0, h1 = nu*_1, hh = E sigma*^2.
 *
 * Accuracy: the kappa rule's order is doubled (24, 48, ... up to `maxOrder`) until a set of moments the
 * sRF equations use (E mu0^2, E mu1^2, E mu2^2, E mu1^4, E mu2^4, E mu0 h, E k mu1 h, E mu1 h1, E hh,
 * E k^2 mu1^2) changes by at most `tolerance` (relative to E sigma^2 E sigma*^2); the smooth Gaussian
 * convolutions make these integrands analytic when c > 0 and rho > 0. Columns that vanish within
 * 1e-13 of the activation's scale (mu0 of an odd student without spike, ...; mu2^2 within 1e-12 of its square,
 * the rounding of E sigma^2 - mu0^2 - mu1^2) are set to exactly 0 so that
 * the solver's "mu0 ≡ 0" branch is taken instead of a least-squares fit to rounding noise.
 * Inner integrals over z: closed forms (relu, erf, sin, ... via src/activations) or, for activations
 * without one, a FIXED piecewise Gauss–Legendre rule shared by all kappa nodes (src/numerics
 * piecewiseGaussianRule, 6 points per panel; the table is recomputed with twice the points and accepted when
 * the checked moments agree to `tolerance`); activations with kinks but no closed form use the adaptive
 * per-node quadrature of src/activations, split at the moving kinks.
 * Cost: (kappa order) x (inner rule size ~300) evaluations per activation, ~2 ms for tanh/tanh.
 */
import { gaussHermite } from '../numerics/gaussHermite.js';
import { piecewiseGaussianRule } from '../numerics/gaussianQuadrature.js';
import { NumericsError } from '../numerics/errors.js';
import { getActivation, hermiteExpansion, type Activation } from '../activations/index.js';

/** Gaussian moments of one activation (z ~ N(0, 1), notation of ../shared/spec/README.md). */
export interface HermiteSummary {
  /** Canonical activation name. */
  name: string;
  /** mu_0 .. mu_K, mu_k = E[sigma(z) He_k(z)] / sqrt(k!). */
  mu: number[];
  /** E sigma(z)^2. */
  secondMoment: number;
  /** mu_perp^2 = E sigma^2 - mu0^2 - mu1^2 (all the non-linear energy; >= 0). */
  muPerpSquared: number;
  muPerp: number;
}

/** mu_0..mu_K, E sigma^2 and mu_perp of an activation or link (default K = 4). */
export function hermiteSummary(activation: Activation | string, K = 4): HermiteSummary {
  const act = typeof activation === 'string' ? getActivation(activation) : activation;
  const e = hermiteExpansion(act, K);
  const perp2 = Math.max(0, e.secondMoment - e.mu[0] ** 2 - (e.mu[1] ?? 0) ** 2);
  return { name: act.name, mu: e.mu, secondMoment: e.secondMoment, muPerpSquared: perp2, muPerp: Math.sqrt(perp2) };
}

/** The geometry of the sRF model the tables are evaluated at (srf.md section 1). */
export interface SrfGeometry {
  /** Bulk variance c > 0. */
  c: number;
  /** Spike strength r. */
  r: number;
  /** Alignment gamma of v with beta* (rho = sqrt(1 - gamma^2)). */
  gamma: number;
  rho: number;
}

/** Conditional coefficients on a Gauss–Hermite rule in kappa: every column has one entry per node. */
export interface ConditionalTables {
  /** Gauss–Hermite nodes in kappa (probabilists' weight; weights sum to 1). */
  kappa: Float64Array;
  weights: Float64Array;
  mu0: Float64Array;
  mu1: Float64Array;
  /** mu2(k)^2 (the solver only needs the square). */
  mu2Squared: Float64Array;
  h: Float64Array;
  h1: Float64Array;
  hh: Float64Array;
  /** Order of the kappa rule. */
  order: number;
  /** Largest change of the checked moments under the last doubling (relative). */
  errorEstimate: number;
  /** Columns set to exactly zero (e.g. "mu0" for an odd student without spike). */
  zeroColumns: string[];
}

export interface ConditionalTableOptions {
  /** Fixed order of the kappa rule (no doubling check of it; the inner rule is still checked). */
  order?: number;
  /** First order of the doubling sequence (default 24). */
  minOrder?: number;
  /** Largest order tried (default 512). */
  maxOrder?: number;
  /** Relative tolerance of the doubling check (default 1e-12). */
  tolerance?: number;
  /** Points per panel of the fixed inner rule for activations without closed form (default 6, doubled until converged; given: used as is). */
  innerNodes?: number;
}

interface RawTables {
  kappa: Float64Array;
  weights: Float64Array;
  mu0: Float64Array;
  mu1: Float64Array;
  mu2Squared: Float64Array;
  h: Float64Array;
  h1: Float64Array;
  hh: Float64Array;
}

/** Piecewise Gauss–Legendre rule in z (src/numerics), without the nodes whose weight underflows. */
const innerRules = new Map<number, { z: Float64Array; w: Float64Array }>();
function innerRule(m: number): { z: Float64Array; w: Float64Array } {
  let r = innerRules.get(m);
  if (!r) {
    const rule = piecewiseGaussianRule(m);
    // nodes whose weight is below 1e-22 of the largest (|z| > ~9.5) contribute < 1e-20 E|f|: dropped
    const wmax = Math.max(...rule.weights);
    const keep = rule.weights.map((w, i) => (w > 1e-22 * wmax ? i : -1)).filter((i) => i >= 0);
    r = { z: Float64Array.from(keep, (i) => rule.nodes[i]), w: Float64Array.from(keep, (i) => rule.weights[i]) };
    innerRules.set(m, r);
  }
  return r;
}

/**
 * E f, E f z, E f^2 of z -> act(shift + scale z): closed forms / adaptive quadrature per call (src/activations)
 * when the activation has a closed form or kinks; otherwise one FIXED piecewise rule with m points per panel
 * shared by all nodes (fast; its accuracy is checked by doubling m in `conditionalTables`).
 */
function gaussianMoments(act: Activation, scale: number, shift: number, innerM: number, out: Float64Array): void {
  if (act.closedForm || act.kinks.length > 0) {
    const e = hermiteExpansion(act, 1, { scale, shift });
    out[0] = e.mu[0];
    out[1] = e.mu[1];
    out[2] = e.secondMoment;
    return;
  }
  const { z, w } = innerRule(innerM);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < z.length; i++) {
    const v = act.value(shift + scale * z[i]);
    const wv = w[i] * v;
    s0 += wv;
    s1 += wv * z[i];
    s2 += wv * v;
  }
  if (!Number.isFinite(s0) || !Number.isFinite(s1) || !Number.isFinite(s2)) {
    throw new NumericsError('conditionalTables', `non-finite Gaussian moments of ${act.name}(${shift} + ${scale} z)`);
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
}

/** Whether `act` goes through the fixed inner rule (whose order is then checked). */
function usesFixedRule(act: Activation): boolean {
  return !act.closedForm && act.kinks.length === 0;
}

function tabulate(student: Activation, teacher: Activation, g: SrfGeometry, order: number, innerM: number): RawTables {
  const rule = gaussHermite(order);
  const n = rule.nodes.length;
  const t: RawTables = {
    kappa: Float64Array.from(rule.nodes),
    weights: Float64Array.from(rule.weights),
    mu0: new Float64Array(n),
    mu1: new Float64Array(n),
    mu2Squared: new Float64Array(n),
    h: new Float64Array(n),
    h1: new Float64Array(n),
    hh: new Float64Array(n),
  };
  const sc = Math.sqrt(g.c);
  const m = new Float64Array(3);
  // Parity halves the work: the Gauss–Hermite nodes are symmetric (node n-1-a = -node a), and for an odd
  // (even) activation E f(-x + s z) = -(+) E f(x + s z), E f(-x + s z) z = +(-) E f(x + s z) z, E f^2 unchanged.
  const half = Math.floor(n / 2); // nodes half .. n-1 are >= 0
  const studentSign = student.parity === 'odd' ? -1 : student.parity === 'even' ? 1 : 0;
  const teacherSign = teacher.parity === 'odd' ? -1 : teacher.parity === 'even' ? 1 : 0;
  for (let a = n - 1; a >= 0; a--) {
    const k = t.kappa[a];
    const mirror = n - 1 - a;
    if (a < half && studentSign !== 0) {
      t.mu0[a] = studentSign * t.mu0[mirror];
      t.mu1[a] = -studentSign * t.mu1[mirror];
      t.mu2Squared[a] = t.mu2Squared[mirror];
    } else {
      gaussianMoments(student, sc, g.r * k, innerM, m);
      t.mu0[a] = m[0];
      t.mu1[a] = m[1] / sc;
      t.mu2Squared[a] = Math.max(0, m[2] - m[0] * m[0] - m[1] * m[1]);
    }
    if (a < half && teacherSign !== 0) {
      t.h[a] = teacherSign * t.h[mirror];
      t.h1[a] = -teacherSign * t.h1[mirror];
      t.hh[a] = t.hh[mirror];
    } else if (g.rho === 0) {
      const v = teacher.value(g.gamma * k);
      t.h[a] = v;
      t.h1[a] = 0;
      t.hh[a] = v * v;
    } else {
      gaussianMoments(teacher, g.rho, g.gamma * k, innerM, m);
      t.h[a] = m[0];
      t.h1[a] = m[1];
      t.hh[a] = m[2];
    }
  }
  return t;
}

/** Moments of the tables the doubling check compares. */
function checkMoments(t: RawTables): number[] {
  const out = new Array<number>(10).fill(0);
  for (let a = 0; a < t.kappa.length; a++) {
    const w = t.weights[a];
    const k = t.kappa[a];
    const m1s = t.mu1[a] * t.mu1[a];
    const m2s = t.mu2Squared[a];
    out[0] += w * t.mu0[a] * t.mu0[a];
    out[1] += w * m1s;
    out[2] += w * m2s;
    out[3] += w * m1s * m1s;
    out[4] += w * m2s * m2s;
    out[5] += w * t.mu0[a] * t.h[a];
    out[6] += w * k * t.mu1[a] * t.h[a];
    out[7] += w * t.mu1[a] * t.h1[a];
    out[8] += w * t.hh[a];
    out[9] += w * k * k * m1s;
  }
  return out;
}

function checkGeometry(g: SrfGeometry): void {
  const bad = (name: string, v: number, rule: string): never => {
    throw new NumericsError('conditionalTables', `${name} must be ${rule}, got ${v}`);
  };
  if (!(Number.isFinite(g.c) && g.c > 0)) bad('c', g.c, 'a finite number > 0');
  if (!Number.isFinite(g.r)) bad('r', g.r, 'a finite number');
  if (!(Number.isFinite(g.gamma) && Math.abs(g.gamma) <= 1)) bad('gamma', g.gamma, 'in [-1, 1]');
  if (!(Number.isFinite(g.rho) && g.rho >= 0 && g.rho <= 1)) bad('rho', g.rho, 'in [0, 1]');
}

/**
 * Tables of mu0, mu1, mu2^2, h, h1, hh (srf.md section 2) on a Gauss–Hermite rule in kappa, with the
 * order chosen by doubling (see the module comment). Throws a NumericsError when `maxOrder` is reached
 * without meeting the tolerance (e.g. a kinked teacher with rho -> 0).
 */
export function conditionalTables(
  student: Activation | string,
  teacher: Activation | string,
  geometry: SrfGeometry,
  opts: ConditionalTableOptions = {},
): ConditionalTables {
  checkGeometry(geometry);
  const s = typeof student === 'string' ? getActivation(student) : student;
  const t = typeof teacher === 'string' ? getActivation(teacher) : teacher;
  const tolerance = opts.tolerance ?? 1e-12;
  const maxOrder = opts.maxOrder ?? 512;
  let innerM = opts.innerNodes ?? 6;
  const fixed = usesFixedRule(s) || (usesFixedRule(t) && geometry.rho > 0);
  let raw: RawTables;
  let order: number;
  let errorEstimate: number;
  if (opts.order !== undefined) {
    order = opts.order;
    raw = tabulate(s, t, geometry, order, innerM);
    errorEstimate = NaN;
  } else {
    order = opts.minOrder ?? 24;
    raw = tabulate(s, t, geometry, order, innerM);
    let prev = checkMoments(raw);
    const scale = Math.max(1e-300, Math.sqrt(prev[1] + prev[2] + prev[0]) * Math.sqrt(prev[8]), prev[0] + prev[1] + prev[2]);
    const diff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / scale;
    errorEstimate = Infinity;
    // 1. the order of the kappa rule, by doubling
    while (true) {
      if (order * 2 > maxOrder) {
        throw new NumericsError(
          'conditionalTables',
          `the kappa rule did not converge by order ${order} (moments still change by ${errorEstimate.toExponential(2)} relative, tolerance ${tolerance}); ` +
            `a kinked link with a tiny rho = ${geometry.rho} needs more nodes (raise maxOrder)`,
        );
      }
      const next = tabulate(s, t, geometry, order * 2, innerM);
      const cur = checkMoments(next);
      errorEstimate = diff(cur, prev);
      raw = next;
      order *= 2;
      if (errorEstimate <= tolerance) break;
      prev = cur;
    }
  }
  // 2. the fixed inner rule (activations without closed form), by doubling its points per panel
  if (fixed && opts.innerNodes === undefined) {
    let cur = checkMoments(raw);
    const sc = Math.max(1e-300, Math.sqrt(cur[1] + cur[2] + cur[0]) * Math.sqrt(cur[8]), cur[0] + cur[1] + cur[2]);
    let e = Infinity;
    while (true) {
      if (innerM * 2 > 64) throw new NumericsError('conditionalTables', `the inner rule did not converge with ${innerM} points per panel (change ${e.toExponential(2)})`);
      const finer = tabulate(s, t, geometry, order, innerM * 2);
      const f = checkMoments(finer);
      e = Math.max(...f.map((v, i) => Math.abs(v - cur[i]))) / sc;
      raw = finer;
      innerM *= 2;
      errorEstimate = Number.isNaN(errorEstimate) ? e : Math.max(errorEstimate, e);
      if (e <= tolerance) break;
      cur = f;
    }
  }
  // Snap columns that are rounding noise to exact zeros.
  const zeroColumns: string[] = [];
  const rms = (v: Float64Array): number => {
    let x = 0;
    for (let a = 0; a < v.length; a++) x += raw.weights[a] * v[a] * v[a];
    return Math.sqrt(x);
  };
  // scales from the table itself: E_k[mu0^2 + c mu1^2 + mu2^2] = E sigma(U)^2, E_k hh = E sigma*^2
  const tm = checkMoments(raw);
  const studentScale = Math.sqrt(tm[0] + geometry.c * tm[1] + tm[2]);
  const teacherScale = Math.sqrt(tm[8]);
  const snap = (name: 'mu0' | 'mu1' | 'h' | 'h1', col: Float64Array, scale: number): void => {
    if (rms(col) <= 1e-13 * scale) {
      col.fill(0);
      zeroColumns.push(name);
    }
  };
  snap('mu0', raw.mu0, studentScale);
  snap('mu1', raw.mu1, studentScale);
  let m2 = 0;
  for (let a = 0; a < order; a++) m2 += raw.weights[a] * raw.mu2Squared[a];
  if (m2 <= 1e-12 * studentScale * studentScale) {
    raw.mu2Squared.fill(0);
    zeroColumns.push('mu2Squared');
  }
  snap('h', raw.h, teacherScale);
  snap('h1', raw.h1, teacherScale);
  return { ...raw, order, errorEstimate, zeroColumns };
}
