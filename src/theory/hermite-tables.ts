/**
 * The Hermite toolkit of the theory engine (issue 4, item 1):
 * - `hermiteSummary`: mu_0..mu_K, E sigma^2 and mu_perp of a student activation or a teacher link;
 * - `conditionalTables`: the conditional coefficients of srf.md section 2 (Cui et al. 2024, arXiv
 *   2402.04980, section 4 "conditional Gaussian equivalence", Result 4.1) tabulated on the nodes of a
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
 * Accuracy: the kappa rule's order is doubled (32, 64, ... up to `maxOrder`) until a set of moments the
 * sRF equations use (E mu0^2, E mu1^2, E mu2^2, E mu1^4, E mu2^4, E mu0 h, E k mu1 h, E mu1 h1, E hh,
 * E k^2 mu1^2) changes by at most `tolerance` (relative to E sigma^2 E sigma*^2); the smooth Gaussian
 * convolutions make these integrands analytic when c > 0 and rho > 0. Columns that vanish within
 * 1e-13 of the activation's scale (mu0 of an odd student without spike, ...; mu2^2 within 1e-12 of its square,
 * the rounding of E sigma^2 - mu0^2 - mu1^2) are set to exactly 0 so that
 * the solver's "mu0 ≡ 0" branch is taken instead of a least-squares fit to rounding noise.
 * Cost: (table order) x (one coefficient evaluation of each activation): a closed form, or an adaptive
 * quadrature of ~100–1000 points (tanh) per node.
 */
import { gaussHermite } from '../numerics/gaussHermite.js';
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
  /** Fixed order of the kappa rule (no doubling check). */
  order?: number;
  /** First order of the doubling sequence (default 32). */
  minOrder?: number;
  /** Largest order tried (default 512). */
  maxOrder?: number;
  /** Relative tolerance of the doubling check (default 1e-12). */
  tolerance?: number;
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

function tabulate(student: Activation, teacher: Activation, g: SrfGeometry, order: number): RawTables {
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
  for (let a = 0; a < n; a++) {
    const k = t.kappa[a];
    const s = hermiteExpansion(student, 1, { scale: sc, shift: g.r * k });
    t.mu0[a] = s.mu[0];
    t.mu1[a] = s.mu[1] / sc;
    t.mu2Squared[a] = Math.max(0, s.secondMoment - s.mu[0] * s.mu[0] - s.mu[1] * s.mu[1]);
    const e = hermiteExpansion(teacher, 1, { scale: g.rho, shift: g.gamma * k });
    t.h[a] = e.mu[0];
    t.h1[a] = e.mu[1];
    t.hh[a] = e.secondMoment;
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
  let raw: RawTables;
  let order: number;
  let errorEstimate: number;
  if (opts.order !== undefined) {
    order = opts.order;
    raw = tabulate(s, t, geometry, order);
    errorEstimate = NaN;
  } else {
    order = opts.minOrder ?? 32;
    raw = tabulate(s, t, geometry, order);
    let prev = checkMoments(raw);
    const scale = Math.max(1e-300, Math.sqrt(prev[1] + prev[2] + prev[0]) * Math.sqrt(prev[8]), prev[0] + prev[1] + prev[2]);
    errorEstimate = Infinity;
    while (true) {
      if (order * 2 > maxOrder) {
        throw new NumericsError(
          'conditionalTables',
          `the kappa rule did not converge by order ${order} (moments still change by ${errorEstimate.toExponential(2)} relative, tolerance ${tolerance}); ` +
            `a kinked link with a tiny rho = ${geometry.rho} needs more nodes (raise maxOrder)`,
        );
      }
      const next = tabulate(s, t, geometry, order * 2);
      const cur = checkMoments(next);
      errorEstimate = Math.max(...cur.map((v, i) => Math.abs(v - prev[i]))) / scale;
      raw = next;
      order *= 2;
      if (errorEstimate <= tolerance) break;
      prev = cur;
    }
  }
  // Snap columns that are rounding noise to exact zeros.
  const zeroColumns: string[] = [];
  const rms = (v: Float64Array): number => {
    let x = 0;
    for (let a = 0; a < v.length; a++) x += raw.weights[a] * v[a] * v[a];
    return Math.sqrt(x);
  };
  const studentScale = Math.sqrt(hermiteExpansion(s, 0, { scale: Math.sqrt(geometry.c + geometry.r * geometry.r) }).secondMoment);
  const teacherScale = Math.sqrt(hermiteExpansion(t, 0).secondMoment);
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
