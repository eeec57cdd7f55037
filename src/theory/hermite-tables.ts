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
 * Accuracy: the kappa rule's order is doubled (24, 48, 96, ... up to `maxOrder`) until a set of moments the
 * sRF equations use (E mu0^2, E mu1^2, E mu2^2, E mu1^4, E mu2^4, E mu0 h, E k mu1 h, E mu1 h1, E hh,
 * E k^2 mu1^2) changes by at most `tolerance` (relative to E sigma^2 E sigma*^2), and the finer table is
 * kept; the smooth Gaussian convolutions make these integrands analytic when c > 0 and rho > 0, so the
 * error of Gauss–Hermite decays exponentially in sqrt(order) and the finer table's error is well below the
 * change. Doubling, not a smaller factor, because the check's moments carry no 1/(1 + V(k)) weight and the
 * solver's integrands converge more slowly at large steps: erf/sigmoid, eta_tilde = 3, alpha0 = 0.5 — a
 * factor 1.5 (24, 36, 54, 81, 122) stopped at 122 nodes with a train error still 6e-8 off (relative to 400
 * nodes); doubling stops at 192 (1e-10). Columns that vanish within
 * 1e-13 of the activation's scale (mu0 of an odd student without spike, ...; mu2^2 within 1e-12 of its square,
 * the rounding of E sigma^2 - mu0^2 - mu1^2) are set to exactly 0 so that
 * the solver's "mu0 ≡ 0" branch is taken instead of a least-squares fit to rounding noise.
 * Inner integrals over z: closed forms (relu, erf, sin, ... via src/activations) or, for smooth activations
 * without one (tanh, sigmoid, softplus), the trapezoidal rule on a uniform grid in z (spacing 0.3, 0.15, ...,
 * nested, refined per node until the three moments change by at most `tolerance`; see `gaussianMoments`);
 * activations with kinks but no closed form use the adaptive per-node quadrature of src/activations, split
 * at the moving kinks.
 * Cost for tanh/tanh at the benchmark's geometry: (24 + 48 + 96)/2 kappa nodes (odd or even activations fill
 * half by parity) x ~135 inner points x 2 activations ~ 22 000 evaluations (was ~75 000 with the piecewise
 * Gauss–Legendre inner rule, ~300 and then ~600 points per node); results are memoised
 * (`clearConditionalTableCache`).
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
  /** Largest change of the checked moments under the last doubling of the kappa order, or of any inner
   * integral under its last refinement (relative). */
  errorEstimate: number;
  /** Columns set to exactly zero (e.g. "mu0" for an odd student without spike). */
  zeroColumns: string[];
}

export interface ConditionalTableOptions {
  /** Fixed order of the kappa rule (no convergence check of it; the inner rule is still checked). */
  order?: number;
  /** First order of the doubling sequence (default 24). */
  minOrder?: number;
  /** Largest order tried (default 512). */
  maxOrder?: number;
  /** Relative tolerance of the convergence checks (kappa order and inner integrals) (default 1e-12). */
  tolerance?: number;
  /** false: bypass the memo (compute afresh and do not store). Default true. */
  cache?: boolean;
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

/**
 * The inner rule for smooth activations without closed form: the trapezoidal rule on the real line,
 * E f(z) ~ h sum_i phi(z_i) f(z_i), z_i = i h, |z_i| <= INNER_HALF_WIDTH (phi(10) ~ 8e-23: the tails are below
 * the rounding of any moment of an activation of at most polynomial growth). For an integrand analytic in the
 * strip |Im z| < tau the error decays like exp(-2 pi tau / h) (Trefethen & Weideman 2014, SIAM Review 56,
 * "The exponentially convergent trapezoidal rule", section 5): tanh(x + s z) has poles at |Im z| = pi/(2s), so
 * s ~ 1 needs h ~ 0.15 for 1e-16 — far fewer points than a piecewise Gauss–Legendre rule of the same accuracy.
 * The levels are NESTED (level l adds the odd multiples of h0/2^l), so halving h re-uses every earlier point:
 * each node's moments are refined level by level until the change of all three is below the tolerance, and
 * the finer value is kept (its error is then ~ the square of the change: the error is exponential in 1/h).
 */
const INNER_HALF_WIDTH = 10;
const INNER_H0 = 0.3;
/** Largest refinement level: h = 0.3 / 2^6 ~ 0.005 (an activation needing more is rejected). */
const INNER_MAX_LEVEL = 6;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Nodes and density values of the NEW points of each level (level 0: all multiples of h0). */
const innerLevels: { z: Float64Array; phi: Float64Array }[] = [];
function innerLevel(l: number): { z: Float64Array; phi: Float64Array } {
  let lv = innerLevels[l];
  if (!lv) {
    const h = INNER_H0 / 2 ** l;
    const z: number[] = [];
    if (l === 0) {
      const n = Math.floor(INNER_HALF_WIDTH / h);
      for (let i = -n; i <= n; i++) z.push(i * h);
    } else {
      const n = Math.floor((INNER_HALF_WIDTH / h - 1) / 2);
      for (let i = -n - 1; i <= n; i++) z.push((2 * i + 1) * h);
    }
    lv = { z: Float64Array.from(z), phi: Float64Array.from(z, (x) => Math.exp(-0.5 * x * x) * INV_SQRT_2PI) };
    innerLevels[l] = lv;
  }
  return lv;
}

/** Largest relative change of a node's inner moments over the last refinement, across all calls of one tabulation. */
interface InnerStats {
  change: number;
}

/**
 * E f, E f z, E f^2 of z -> act(shift + scale z): closed forms / adaptive quadrature per call (src/activations)
 * when the activation has a closed form or kinks; otherwise the nested trapezoidal rule above, refined until
 * the three moments change by at most `tol` (relative to sqrt(E f^2) for the first two, E f^2 for the third).
 */
function gaussianMoments(act: Activation, scale: number, shift: number, tol: number, out: Float64Array, stats: InnerStats): void {
  if (act.closedForm || act.kinks.length > 0) {
    const e = hermiteExpansion(act, 1, { scale, shift });
    out[0] = e.mu[0];
    out[1] = e.mu[1];
    out[2] = e.secondMoment;
    return;
  }
  let h = INNER_H0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  for (let l = 0; l <= INNER_MAX_LEVEL; l++) {
    const { z, phi } = innerLevel(l);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < z.length; i++) {
      const v = act.value(shift + scale * z[i]);
      const wv = phi[i] * v;
      s0 += wv;
      s1 += wv * z[i];
      s2 += wv * v;
    }
    if (l === 0) {
      t0 = h * s0;
      t1 = h * s1;
      t2 = h * s2;
    } else {
      h /= 2;
      const n0 = 0.5 * t0 + h * s0;
      const n1 = 0.5 * t1 + h * s1;
      const n2 = 0.5 * t2 + h * s2;
      if (!Number.isFinite(n0) || !Number.isFinite(n1) || !Number.isFinite(n2)) {
        throw new NumericsError('conditionalTables', `non-finite Gaussian moments of ${act.name}(${shift} + ${scale} z)`);
      }
      const size = Math.sqrt(Math.abs(n2));
      const change = Math.max(Math.abs(n0 - t0) / size, Math.abs(n1 - t1) / size, Math.abs(n2 - t2) / (size * size));
      t0 = n0;
      t1 = n1;
      t2 = n2;
      if (change <= tol || size === 0) {
        if (change > stats.change) stats.change = change;
        out[0] = t0;
        out[1] = t1;
        out[2] = t2;
        return;
      }
    }
  }
  throw new NumericsError(
    'conditionalTables',
    `the inner trapezoidal rule for ${act.name}(${shift} + ${scale} z) did not converge with spacing ${h} (the activation varies too fast for the Gaussian width; tolerance ${tol})`,
  );
}

function tabulate(student: Activation, teacher: Activation, g: SrfGeometry, order: number, innerTol: number, stats: InnerStats): RawTables {
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
      gaussianMoments(student, sc, g.r * k, innerTol, m, stats);
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
      gaussianMoments(teacher, g.rho, g.gamma * k, innerTol, m, stats);
      t.h[a] = m[0];
      t.h1[a] = m[1];
      t.hh[a] = m[2];
    }
  }
  return t;
}

/** Moments of the tables the kappa-order check compares. */
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
 * Memo of finished tables, keyed by the activation OBJECTS (a re-registered name is a new object, so never a
 * stale hit), the geometry and the options: a caller asking twice for the same model (a browser explorer
 * redrawing a curve, optimalLambda per point of a curve, a sweep of lambda or alpha repeated with another
 * lambda) gets the tables without recomputing them. Each hit returns fresh copies of the columns.
 * Bounded (TABLE_CACHE_SIZE entries, oldest dropped first); `clearConditionalTableCache()` empties it.
 */
const TABLE_CACHE_SIZE = 32;
const tableCache = new WeakMap<Activation, WeakMap<Activation, Map<string, ConditionalTables>>>();
let tableCacheKeys: { s: Activation; t: Activation; key: string }[] = [];

/** Empties the memo of `conditionalTables` (e.g. to time a cold computation). */
export function clearConditionalTableCache(): void {
  for (const { s, t } of tableCacheKeys) tableCache.get(s)?.delete(t);
  tableCacheKeys = [];
}

function copyTables(t: ConditionalTables): ConditionalTables {
  return {
    kappa: new Float64Array(t.kappa),
    weights: new Float64Array(t.weights),
    mu0: new Float64Array(t.mu0),
    mu1: new Float64Array(t.mu1),
    mu2Squared: new Float64Array(t.mu2Squared),
    h: new Float64Array(t.h),
    h1: new Float64Array(t.h1),
    hh: new Float64Array(t.hh),
    order: t.order,
    errorEstimate: t.errorEstimate,
    zeroColumns: [...t.zeroColumns],
  };
}

/**
 * Tables of mu0, mu1, mu2^2, h, h1, hh (srf.md section 2) on a Gauss–Hermite rule in kappa, with the
 * order chosen by the convergence check (see the module comment). Throws a NumericsError when `maxOrder` is reached
 * without meeting the tolerance (e.g. a kinked teacher with rho -> 0). Memoised (see `clearConditionalTableCache`;
 * `opts.cache: false` bypasses the memo).
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
  if (opts.cache === false) return computeTables(s, t, geometry, opts);
  const key = [geometry.c, geometry.r, geometry.gamma, geometry.rho, opts.order, opts.minOrder, opts.maxOrder, opts.tolerance].join('/');
  let byTeacher = tableCache.get(s);
  if (!byTeacher) {
    byTeacher = new WeakMap();
    tableCache.set(s, byTeacher);
  }
  let entries = byTeacher.get(t);
  if (!entries) {
    entries = new Map();
    byTeacher.set(t, entries);
  }
  const hit = entries.get(key);
  if (hit) return copyTables(hit);
  const tables = computeTables(s, t, geometry, opts);
  entries.set(key, copyTables(tables));
  tableCacheKeys.push({ s, t, key });
  if (tableCacheKeys.length > TABLE_CACHE_SIZE) {
    const old = tableCacheKeys.shift();
    if (old) tableCache.get(old.s)?.get(old.t)?.delete(old.key);
  }
  return tables;
}

function computeTables(s: Activation, t: Activation, geometry: SrfGeometry, opts: ConditionalTableOptions): ConditionalTables {
  const tolerance = opts.tolerance ?? 1e-12;
  const maxOrder = opts.maxOrder ?? 512;
  const stats: InnerStats = { change: 0 };
  let raw: RawTables;
  let order: number;
  let errorEstimate: number;
  if (opts.order !== undefined) {
    order = opts.order;
    raw = tabulate(s, t, geometry, order, tolerance, stats);
    errorEstimate = NaN;
  } else {
    order = opts.minOrder ?? 24;
    raw = tabulate(s, t, geometry, order, tolerance, stats);
    let prev = checkMoments(raw);
    const scale = Math.max(1e-300, Math.sqrt(prev[1] + prev[2] + prev[0]) * Math.sqrt(prev[8]), prev[0] + prev[1] + prev[2]);
    const diff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / scale;
    errorEstimate = Infinity;
    // the order of the kappa rule, doubled until two successive tables agree
    while (true) {
      const nextOrder = order * 2;
      if (nextOrder > maxOrder) {
        throw new NumericsError(
          'conditionalTables',
          `the kappa rule did not converge by order ${order} (moments still change by ${errorEstimate.toExponential(2)} relative, tolerance ${tolerance}); ` +
            `a kinked link with a tiny rho = ${geometry.rho} needs more nodes (raise maxOrder)`,
        );
      }
      const next = tabulate(s, t, geometry, nextOrder, tolerance, stats);
      const cur = checkMoments(next);
      errorEstimate = diff(cur, prev);
      raw = next;
      order = nextOrder;
      if (errorEstimate <= tolerance) break;
      prev = cur;
    }
  }
  // the inner integrals' own refinement (nested trapezoid; 0 when every inner integral has a closed form)
  errorEstimate = Number.isNaN(errorEstimate) ? stats.change : Math.max(errorEstimate, stats.change);
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
