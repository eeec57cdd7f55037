/**
 * Expectations over one or two Gaussian variables, the building block of every theory formula
 * (../shared/spec/README.md: "enough nodes that doubling them changes the result by < 1e-10 for smooth
 * functions; non-smooth activations use closed forms or split the integral at the kink").
 *
 * Two families of rules for E f(Z), Z ~ N(0, 1):
 * - 'hermite': probabilists' Gauss–Hermite (./gaussHermite.ts) of order n — best for entire integrands
 *   (polynomials, sin, erf, exp); slow for functions analytic only in a strip (tanh, sigmoid, softplus),
 *   where the error decays only like exp(-c sqrt(n));
 * - 'piecewise': Gauss–Legendre with m points on each panel of [-L, L], L = 40 (phi(40) ~ 1e-348: the
 *   tails beyond are zero in double precision), panels of width 1/2 on [-8, 8] and then 10, 12, 16, 22,
 *   30, 40 (44 panels), plus breaks at the given kinks; the weights include the density,
 *   w = w_GL * h/2 * phi(z). Used whenever kinks are given, and as the fallback of 'auto'.
 *
 * Adaptive use (`integrateGaussian`, `expectation`): a sequence of rules (GH 32, 64, ... then piecewise
 * m = 6, 12, 24, 48, depending on `rule` and the kinks) is run until two successive results differ by at
 * most max(absTol, relTol |I|) (defaults 1e-12 each); the result is the finer one and the difference is
 * its (pessimistic) error estimate. Non-convergence or a NaN is reported in the status record and thrown
 * by the `expectation*` wrappers — never returned as a number. A fixed `nodes` option skips the check.
 *
 * Two variables (`integrateGaussian2`, `expectation2`, `expectation2Cov`): (u, v) with means m and
 * covariance [[a, b], [b, c]] are written u = m_u + L11 z1, v = m_v + L21 z1 + L22 z2 (Cholesky, also for
 * singular covariances), and the iterated integral over (z1, z2) uses the tensor rule. Kinks of f in u
 * become kinks in z1; kinks in v become kinks in z2 that move with z1 (the inner rule is rebuilt for
 * each outer node); the outer integrand is then smooth in z1 except at the u-kinks because the inner
 * integral smooths v. When either direction is piecewise (m points per panel), the smooth direction uses
 * Gauss–Hermite of order 4m, doubled together with m.
 * Cost: 1-D n evaluations per pass; 2-D n^2 (GH) or (m P)^2 (piecewise, P ~ 31 + kinks panels) per pass.
 */
import { checkFinite, checkFunction, checkInteger, checkPositive, NumericsError } from './errors.js';
import { gaussHermite, type QuadratureRule } from './gaussHermite.js';
import { gaussLegendre } from './gaussLegendre.js';

/** Half-width of the piecewise rules, in standard deviations. */
export const PIECEWISE_HALF_WIDTH = 40;
/** Breaks of the piecewise rule without kinks: panels of width `w` on [-8, 8], then 10, 12, 16, 22, 30, 40.
 * With w = 1/2 and m = 8 points per panel, E 1, E z^2, E z^8 are exact to 1e-15. */
function baseBreaks(w: number): number[] {
  const b = [-40, -30, -22, -16, -12, -10];
  const k = Math.round(8 / w);
  for (let i = -k; i <= k; i++) b.push(i * w);
  b.push(10, 12, 16, 22, 30, 40);
  return b;
}
const BREAKS = baseBreaks(0.5);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export type GaussianRuleKind = 'hermite' | 'piecewise';

export interface GaussianQuadratureOptions {
  /** Fixed order (GH nodes, or points per panel for the piecewise rule): no convergence check. */
  nodes?: number;
  /** Points where f is not smooth (kinks, jumps), in the integration variable; forces the piecewise rule. */
  kinks?: readonly number[];
  /**
   * 'auto' (default): Gauss–Hermite, then the piecewise rule if GH has not converged by order 256 —
   * this rescues functions analytic only in a thin strip, e.g. tanh(5 z);
   * 'hermite' or 'piecewise' force one family.
   */
  rule?: 'auto' | GaussianRuleKind;
  /** Absolute tolerance on the change under doubling (default 1e-12). */
  absTol?: number;
  /** Relative tolerance on the change under doubling (default 1e-12). */
  relTol?: number;
  /** Largest GH order tried (default 1024 in 1-D, 256 in 2-D; 'auto' stops GH at 256). */
  maxNodes?: number;
  /** Largest number of points per panel tried by the piecewise rule (6, 12, 24, ...; default 48 in 1-D, 24 in 2-D). */
  maxPanelNodes?: number;
}

export type QuadratureResult =
  | { ok: true; value: number; rule: GaussianRuleKind; order: number; evaluations: number; errorEstimate: number }
  | {
      ok: false;
      reason: 'not-converged' | 'nan';
      last: number;
      rule: GaussianRuleKind;
      order: number;
      evaluations: number;
      errorEstimate: number;
    };

/** Thrown by the expectation wrappers when quadrature fails; carries the status record. */
export class QuadratureError extends NumericsError {
  constructor(
    routine: string,
    readonly result: Extract<QuadratureResult, { ok: false }>,
  ) {
    super(
      routine,
      result.reason === 'nan'
        ? `the integrand returned NaN (or an infinite value at a node) with the ${result.rule} rule of order ${result.order}`
        : `no convergence: the ${result.rule} rule of order ${result.order} still changed the result by ` +
            `${result.errorEstimate.toExponential(2)} (last value ${result.last}) after ${result.evaluations} evaluations; ` +
            `if the integrand has kinks or jumps, pass them as kinks`,
    );
    this.name = 'QuadratureError';
  }
}

/** Sorted breakpoints: base grid plus the finite kinks inside (-L, L); near-duplicates merged. */
function breakpoints(kinks: readonly number[], base: readonly number[]): number[] {
  const all = base.slice();
  for (const k of kinks) if (Number.isFinite(k) && k > -PIECEWISE_HALF_WIDTH && k < PIECEWISE_HALF_WIDTH) all.push(k);
  all.sort((a, b) => a - b);
  const out: number[] = [all[0]];
  for (let i = 1; i < all.length; i++) if (all[i] - out[out.length - 1] > 1e-13) out.push(all[i]);
  return out;
}

/** Fills nodes/weights of the piecewise rule (m Gauss–Legendre points per panel); returns the count. */
function fillPiecewise(kinks: readonly number[], m: number, nodes: number[], weights: number[], base: readonly number[]): number {
  const br = breakpoints(kinks, base);
  const gl = gaussLegendre(m);
  let count = 0;
  for (let p = 0; p + 1 < br.length; p++) {
    const a = br[p];
    const b = br[p + 1];
    const half = (b - a) / 2;
    const mid = (a + b) / 2;
    for (let j = 0; j < m; j++) {
      const z = mid + half * gl.nodes[j];
      nodes[count] = z;
      weights[count] = gl.weights[j] * half * Math.exp(-0.5 * z * z) * INV_SQRT_2PI;
      count++;
    }
  }
  nodes.length = count;
  weights.length = count;
  return count;
}

/**
 * The piecewise rule for E f(Z), Z ~ N(0, 1): Gauss–Legendre with m points on each panel of [-40, 40]
 * (panels of width 1/2 on [-8, 8], wider ones outside), split at the kinks.
 */
export function piecewiseGaussianRule(m: number, kinks: readonly number[] = []): QuadratureRule {
  checkInteger('piecewiseGaussianRule', 'm', m, 1, 1000);
  kinks.forEach((k, i) => checkFinite('piecewiseGaussianRule', `kinks[${i}]`, k));
  const nodes: number[] = [];
  const weights: number[] = [];
  fillPiecewise(kinks, m, nodes, weights, BREAKS);
  return Object.freeze({ nodes: Object.freeze(nodes), weights: Object.freeze(weights) });
}

/** A rule of the given family and order (GH order n, or m points per panel). */
export function gaussianRule(kind: GaussianRuleKind, order: number, kinks: readonly number[] = []): QuadratureRule {
  if (kind === 'hermite') {
    if (kinks.length > 0) throw new NumericsError('gaussianRule', `kinks need the piecewise rule, got kind "hermite" with ${kinks.length} kinks`);
    return gaussHermite(order);
  }
  return piecewiseGaussianRule(order, kinks);
}

export interface Stage {
  kind: GaussianRuleKind;
  order: number;
}

interface Resolved {
  absTol: number;
  relTol: number;
  stages: Stage[];
}

/** The sequence of rules to try, from the options. */
function resolve(routine: string, opts: GaussianQuadratureOptions, hasKinks: boolean, twoD: boolean): Resolved {
  const absTol = opts.absTol ?? 1e-12;
  const relTol = opts.relTol ?? 1e-12;
  checkPositive(routine, 'absTol', absTol, true);
  checkPositive(routine, 'relTol', relTol, true);
  const rule = opts.rule ?? 'auto';
  if (rule !== 'auto' && rule !== 'hermite' && rule !== 'piecewise') {
    throw new NumericsError(routine, `rule must be one of "auto" | "hermite" | "piecewise", got ${JSON.stringify(rule)}`);
  }
  if (hasKinks && rule === 'hermite') throw new NumericsError(routine, 'kinks need the piecewise rule, got rule "hermite"');
  const kindFixed: GaussianRuleKind = hasKinks || rule === 'piecewise' ? 'piecewise' : 'hermite';
  if (opts.nodes !== undefined) {
    checkInteger(routine, 'nodes', opts.nodes, 1, kindFixed === 'piecewise' ? 1000 : 10000);
    return { absTol, relTol, stages: [{ kind: kindFixed, order: opts.nodes }] };
  }
  const maxNodes = opts.maxNodes ?? (twoD ? 256 : 1024);
  const maxPanel = opts.maxPanelNodes ?? (twoD ? 24 : 48);
  checkInteger(routine, 'maxNodes', maxNodes, 32, 10000);
  checkInteger(routine, 'maxPanelNodes', maxPanel, 6, 1000);
  const stages: Stage[] = [];
  if (kindFixed === 'hermite') {
    const ghMax = rule === 'auto' ? Math.min(maxNodes, 256) : maxNodes;
    for (let n = 32; n <= ghMax; n *= 2) stages.push({ kind: 'hermite', order: n });
  }
  if (kindFixed === 'piecewise' || rule === 'auto') {
    for (let m = 6; m <= maxPanel; m *= 2) stages.push({ kind: 'piecewise', order: m });
  }
  return { absTol, relTol, stages };
}

function checkKinks(routine: string, name: string, kinks: readonly number[] | undefined): readonly number[] {
  if (kinks === undefined) return [];
  if (!Array.isArray(kinks)) throw new NumericsError(routine, `${name} must be an array of numbers, got ${typeof kinks}`);
  kinks.forEach((k, i) => checkFinite(routine, `${name}[${i}]`, k));
  return kinks;
}

/**
 * Runs the rules of `res.stages` in turn until two successive results agree within tolerance.
 * `evaluate` returns the estimate and the number of integrand evaluations it used.
 */
function adapt(res: Resolved, evaluate: (stage: Stage) => [number, number]): QuadratureResult {
  let prev = NaN;
  let value = NaN;
  let err = Infinity;
  let evaluations = 0;
  let stage = res.stages[0];
  for (let i = 0; i < res.stages.length; i++) {
    stage = res.stages[i];
    const [v, count] = evaluate(stage);
    value = v;
    evaluations += count;
    const where = { rule: stage.kind, order: stage.order, evaluations };
    if (!Number.isFinite(value)) return { ok: false, reason: 'nan', last: value, ...where, errorEstimate: NaN };
    if (res.stages.length === 1) return { ok: true, value, ...where, errorEstimate: NaN };
    if (i > 0) {
      err = Math.abs(value - prev);
      if (err <= Math.max(res.absTol, res.relTol * Math.abs(value))) return { ok: true, value, ...where, errorEstimate: err };
    }
    prev = value;
  }
  return { ok: false, reason: 'not-converged', last: value, rule: stage.kind, order: stage.order, evaluations, errorEstimate: err };
}

/** Stages a caller can run itself (e.g. to integrate many functions on one rule); see `adaptStages`. */
export function quadratureStages(opts: GaussianQuadratureOptions = {}): Stage[] {
  const kinks = checkKinks('quadratureStages', 'kinks', opts.kinks);
  return resolve('quadratureStages', opts, kinks.length > 0, false).stages;
}

/** E f(Z), Z ~ N(0, 1), with the status record (see the module comment for the rules and options). */
export function integrateGaussian(f: (z: number) => number, opts: GaussianQuadratureOptions = {}): QuadratureResult {
  const routine = 'integrateGaussian';
  checkFunction(routine, 'f', f);
  const kinks = checkKinks(routine, 'kinks', opts.kinks);
  const res = resolve(routine, opts, kinks.length > 0, false);
  return adapt(res, (stage) => {
    const { nodes, weights } = gaussianRule(stage.kind, stage.order, stage.kind === 'piecewise' ? kinks : []);
    let s = 0;
    let count = 0;
    for (let i = 0; i < nodes.length; i++) {
      const w = weights[i];
      if (w !== 0) {
        s += w * f(nodes[i]);
        count++;
      }
    }
    return [s, count];
  });
}

/** E f(Z), Z ~ N(0, 1); throws a QuadratureError instead of returning an unconverged number. */
export function expectation(f: (z: number) => number, opts: GaussianQuadratureOptions = {}): number {
  const r = integrateGaussian(f, opts);
  if (!r.ok) throw new QuadratureError('expectation', r);
  return r.value;
}

/** A bivariate Gaussian: means and covariance [[varU, cov], [cov, varV]]. */
export interface Gaussian2 {
  meanU?: number;
  meanV?: number;
  varU: number;
  varV: number;
  cov: number;
}

export interface Gaussian2Options extends Omit<GaussianQuadratureOptions, 'kinks'> {
  /** Points where f(u, v) is not smooth in u. */
  kinksU?: readonly number[];
  /** Points where f(u, v) is not smooth in v. */
  kinksV?: readonly number[];
}

/** Cholesky factor of a 2 x 2 covariance, valid also when it is singular; throws if not PSD. */
function cholesky2(routine: string, g: Gaussian2): { l11: number; l21: number; l22: number } {
  checkPositive(routine, 'varU', g.varU, true);
  checkPositive(routine, 'varV', g.varV, true);
  checkFinite(routine, 'cov', g.cov);
  const slack = 1e-12 * g.varU * g.varV;
  if (g.cov * g.cov > g.varU * g.varV + slack) {
    throw new NumericsError(routine, `covariance must be positive semidefinite (cov^2 <= varU varV), got varU = ${g.varU}, varV = ${g.varV}, cov = ${g.cov}`);
  }
  const l11 = Math.sqrt(g.varU);
  const l21 = l11 > 0 ? g.cov / l11 : 0;
  const l22 = Math.sqrt(Math.max(0, g.varV - l21 * l21));
  return { l11, l21, l22 };
}

/** E f(U, V) for a bivariate Gaussian (U, V), with the status record. */
export function integrateGaussian2(f: (u: number, v: number) => number, g: Gaussian2, opts: Gaussian2Options = {}): QuadratureResult {
  const routine = 'integrateGaussian2';
  checkFunction(routine, 'f', f);
  const mu = g.meanU ?? 0;
  const mv = g.meanV ?? 0;
  checkFinite(routine, 'meanU', mu);
  checkFinite(routine, 'meanV', mv);
  const { l11, l21, l22 } = cholesky2(routine, g);
  const kinksU = checkKinks(routine, 'kinksU', opts.kinksU);
  const kinksV = checkKinks(routine, 'kinksV', opts.kinksV);

  // Kinks in z1 (outer): u = mu + l11 z1; if v does not depend on z2 (l22 = 0), v's kinks are in z1 too.
  const outerKinks: number[] = [];
  if (l11 > 0) for (const k of kinksU) outerKinks.push((k - mu) / l11);
  if (l22 === 0 && l21 !== 0) for (const k of kinksV) outerKinks.push((k - mv) / l21);
  const innerPiecewise = l22 > 0 && kinksV.length > 0;
  const hasKinks = outerKinks.length > 0 || innerPiecewise;
  const res = resolve(routine, opts, hasKinks, true);

  const innerNodes: number[] = [];
  const innerWeights: number[] = [];
  const innerKinks = new Array<number>(kinksV.length);
  return adapt(res, (stage) => {
    // Piecewise stage (m points per panel): a direction without kinks uses GH of order 4m.
    const pw = stage.kind === 'piecewise';
    const smoothOrder = pw ? Math.min(4 * stage.order, 10000) : stage.order;
    // Without any kinks a piecewise stage is the fallback of 'auto' (or rule 'piecewise'): both directions piecewise.
    const bothPiecewise = pw && !hasKinks;
    const outer = outerKinks.length > 0 ? piecewiseGaussianRule(stage.order, outerKinks) : bothPiecewise ? piecewiseGaussianRule(stage.order) : gaussHermite(smoothOrder);
    const innerFixed = innerPiecewise ? undefined : bothPiecewise ? piecewiseGaussianRule(stage.order) : gaussHermite(smoothOrder);
    let total = 0;
    let count = 0;
    for (let i = 0; i < outer.nodes.length; i++) {
      const wi = outer.weights[i];
      if (wi === 0) continue;
      const z1 = outer.nodes[i];
      const u = mu + l11 * z1;
      const vBase = mv + l21 * z1;
      let nodes: readonly number[];
      let weights: readonly number[];
      if (innerFixed) {
        nodes = innerFixed.nodes;
        weights = innerFixed.weights;
      } else {
        for (let k = 0; k < kinksV.length; k++) innerKinks[k] = (kinksV[k] - vBase) / l22;
        fillPiecewise(innerKinks, stage.order, innerNodes, innerWeights, BREAKS);
        nodes = innerNodes;
        weights = innerWeights;
      }
      let s = 0;
      for (let j = 0; j < nodes.length; j++) {
        const wj = weights[j];
        if (wj !== 0) {
          s += wj * f(u, vBase + l22 * nodes[j]);
          count++;
        }
      }
      total += wi * s;
    }
    return [total, count];
  });
}

/** E f(U, V) for a bivariate Gaussian; throws a QuadratureError on failure. */
export function expectation2Cov(f: (u: number, v: number) => number, g: Gaussian2, opts: Gaussian2Options = {}): number {
  const r = integrateGaussian2(f, g, opts);
  if (!r.ok) throw new QuadratureError('expectation2Cov', r);
  return r.value;
}

/** E f(U, V) for standard Gaussians U, V with correlation rho in [-1, 1]; throws on failure. */
export function expectation2(f: (u: number, v: number) => number, rho: number, opts: Gaussian2Options = {}): number {
  checkFinite('expectation2', 'rho', rho);
  if (rho < -1 || rho > 1) throw new NumericsError('expectation2', `rho must be in [-1, 1], got ${rho}`);
  const r = integrateGaussian2(f, { varU: 1, varV: 1, cov: rho }, opts);
  if (!r.ok) throw new QuadratureError('expectation2', r);
  return r.value;
}
