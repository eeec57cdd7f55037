/**
 * The reduced solver of the sRF equations (../shared/spec/srf.md section 4, "Solving"; featlearn's, not
 * the authors': their code iterates all seven parameters with damping 0.5).
 *
 * Structure of the equations (./equations.ts): (V1, V2) form a closed two-variable system
 *   V = T(V),  T(V) = (mean D/S, mean 1/S) at (Vh1, Vh2)(V),
 * psi then follows directly (psh depends on V only), (theta, m) solve a 2 x 2 linear system, and (q1, q2)
 * another one whose matrix I - alpha S2 B is exactly the Jacobian of V -> V - T(V):
 *   theta (1 + alpha AF t1) + m alpha AF t0 = alpha AF th,     theta t0 + m e00 = eh,
 *   (I - alpha [[B2, B1], [B1, B0]] [[b11, b12], [b12, b22]]) (q1, q2) = alpha [[B2, B1], [B1, B0]] (c1, c2) + R,
 * with th = E_k[k mu1 h g], t0 = E_k[k mu1 mu0 g], t1 = E_k[k^2 mu1^2 g], e00 = E_k[mu0^2 g], eh = E_k[mu0 h g],
 * g = 1/(1+V(k)), c_i = E_k[mu_i^2 E0 g^2], E0 = E(k) without the q terms, b_ij = E_k[mu_i^2 mu_j^2 g^2],
 * R = (thh^2 BDF + psh^2 BDH, thh^2 BF + psh^2 BH).
 *
 * (V1, V2) by Newton's method on R(u) = log T(e^u) - u (u = log V: scale-free, V may be ~1/lambda), with the
 * analytic Jacobian diag(1/T) J_T diag(V) - I, J_T = alpha [[B2, B1], [B1, B0]] [[b11, b12], [b12, b22]], and a
 * backtracking line search on ||R||_inf. T is monotone (all entries of J_T are >= 0), so plain iteration
 * from V = 0 increases to the smallest fixed point: a cold start takes two such steps before Newton, and
 * if Newton stalls the solver falls back to that monotone iteration. Each T evaluation costs one pass over
 * the kappa table and one spectral sum (closed form for 'mp').
 *
 * With lambda = 0 and alpha = n/N <= 1 (interpolation) — or lambda = 0, zero eigenvalues (N > d) and
 * mu2 ≡ 0 — there is no finite fixed point: reported as 'no-finite-solution', never a number.
 */
import type { ConditionalTables } from '../hermite-tables.js';
import { srfCheck, type SrfConjugates, type SrfOrderParameters, type SrfProblem } from './equations.js';
import type { SpectralSums } from './spectrum.js';

export type SrfSolveResult =
  | {
      ok: true;
      x: SrfOrderParameters;
      conjugates: SrfConjugates;
      iterations: number;
      residual: number;
      /** risk and train error at x, when the solver's final check computed them (reducedSolve does). */
      errors?: { risk: number; trainError: number };
    }
  | {
      ok: false;
      reason: 'no-finite-solution' | 'max-iterations' | 'diverged' | 'nan' | 'singular' | 'residual-too-large';
      message: string;
      iterations: number;
      residual: number;
      last?: SrfOrderParameters;
    };

export interface ReducedOptions {
  /** Starting (V1, V2) (warm start along a sweep). */
  warmStart?: { V1: number; V2: number };
  /** Largest number of Newton steps (default 100). */
  maxIterations?: number;
  /** Largest number of monotone fallback iterations (default 200000). */
  maxFallbackIterations?: number;
  /** Target ||R||_inf of the (V1, V2) system (default 1e-14). */
  tolerance?: number;
  /** Largest accepted residual of the seven-parameter map at the solution (default 1e-10). */
  residualTolerance?: number;
}

interface TEval {
  T1: number;
  T2: number;
  Vh1: number;
  Vh2: number;
  b11: number;
  b12: number;
  b22: number;
  sums: SpectralSums;
}

/** T(V) with the sums its Jacobian needs: one pass over the kappa table (hatV, inlined) and one spectral sum. */
function evalT(p: SrfProblem, V1: number, V2: number): TEval {
  const { mu1: mu1c, mu2Squared, weights } = p.tables;
  let Vh1 = 0, Vh2 = 0, b11 = 0, b12 = 0, b22 = 0;
  const n = weights.length;
  for (let a = 0; a < n; a++) {
    const m1 = mu1c[a] * mu1c[a];
    const m2 = mu2Squared[a];
    const g = 1 / (1 + m1 * V1 + m2 * V2);
    const wg = weights[a] * g;
    const wg2 = wg * g;
    Vh1 += wg * m1;
    Vh2 += wg * m2;
    b11 += wg2 * m1 * m1;
    b12 += wg2 * m1 * m2;
    b22 += wg2 * m2 * m2;
  }
  Vh1 *= p.alpha;
  Vh2 *= p.alpha;
  const sums = p.spectrum.sums(p.lambda, Vh1, Vh2);
  return { T1: sums.A1, T2: sums.A0, Vh1, Vh2, b11, b12, b22, sums };
}

/** A reason there can be no finite solution, or undefined (see the module comment). */
export function noFiniteSolutionReason(p: SrfProblem): string | undefined {
  if (p.lambda > 0) return undefined;
  if (p.alpha <= 1) {
    return `lambda = 0 with alpha = n/N = ${p.alpha} <= 1: the readout interpolates (minimum-norm limit), the order parameters V1, V2 diverge; use a lambda > 0 (the lambda -> 0+ limit is continuous)`;
  }
  if (p.spectrum.zeroMass > 0 && p.tables.zeroColumns.includes('mu2Squared')) {
    return `lambda = 0 with N > d and a student without non-linear part (mu2 ≡ 0): the features have ${(p.spectrum.zeroMass * 100).toFixed(1)}% null directions and ridgeless regression has no finite solution; use lambda > 0`;
  }
  return undefined;
}

function maxAbs(a: number, b: number): number {
  return Math.max(Math.abs(a), Math.abs(b));
}

/** Solves the (V1, V2) system (see the module comment). */
function solveV(p: SrfProblem, opts: ReducedOptions): { ok: true; V1: number; V2: number; ev: TEval; evaluations: number } | { ok: false; reason: 'max-iterations' | 'nan'; message: string; V1: number; V2: number; evaluations: number } {
  const tol = opts.tolerance ?? 1e-14;
  const maxIt = opts.maxIterations ?? 100;
  let evaluations = 0;
  const T = (V1: number, V2: number): TEval => {
    evaluations++;
    return evalT(p, V1, V2);
  };
  let V1: number;
  let V2: number;
  let ev: TEval;
  const ws = opts.warmStart;
  if (ws && Number.isFinite(ws.V1) && Number.isFinite(ws.V2) && ws.V1 > 0 && ws.V2 > 0) {
    V1 = ws.V1;
    V2 = ws.V2;
    ev = T(V1, V2);
  } else {
    // Two monotone steps from V = 0 (lower bounds of the solution).
    ev = T(0, 0);
    for (let i = 0; i < 2; i++) ev = T(ev.T1, ev.T2);
    V1 = ev.T1;
    V2 = ev.T2;
    ev = T(V1, V2);
  }
  const residualOf = (e: TEval, a: number, b: number): number => maxAbs(Math.log(e.T1 / a), Math.log(e.T2 / b));
  let r = residualOf(ev, V1, V2);
  for (let it = 0; it < maxIt && Number.isFinite(r); it++) {
    if (r <= tol) return { ok: true, V1, V2, ev, evaluations };
    const R1 = Math.log(ev.T1 / V1);
    const R2 = Math.log(ev.T2 / V2);
    const s = ev.sums;
    const a = p.alpha;
    // J_T = alpha S2 B, S2 = [[B2, B1], [B1, B0]], B = [[b11, b12], [b12, b22]]
    const j11 = a * (s.B2 * ev.b11 + s.B1 * ev.b12);
    const j12 = a * (s.B2 * ev.b12 + s.B1 * ev.b22);
    const j21 = a * (s.B1 * ev.b11 + s.B0 * ev.b12);
    const j22 = a * (s.B1 * ev.b12 + s.B0 * ev.b22);
    // Jacobian of R(u): diag(1/T) J_T diag(V) - I
    const a11 = (j11 * V1) / ev.T1 - 1;
    const a12 = (j12 * V2) / ev.T1;
    const a21 = (j21 * V1) / ev.T2;
    const a22 = (j22 * V2) / ev.T2 - 1;
    const det = a11 * a22 - a12 * a21;
    if (!Number.isFinite(det) || det === 0) break;
    let d1 = -(a22 * R1 - a12 * R2) / det;
    let d2 = -(-a21 * R1 + a11 * R2) / det;
    const big = Math.max(Math.abs(d1), Math.abs(d2));
    if (big > 5) {
      d1 *= 5 / big;
      d2 *= 5 / big;
    }
    let step = 1;
    let accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      const n1 = V1 * Math.exp(step * d1);
      const n2 = V2 * Math.exp(step * d2);
      const e2 = T(n1, n2);
      const r2 = residualOf(e2, n1, n2);
      if (Number.isFinite(r2) && (r2 < (1 - 1e-4 * step) * r || r2 <= tol)) {
        V1 = n1;
        V2 = n2;
        ev = e2;
        r = r2;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
  }
  if (r <= tol) return { ok: true, V1, V2, ev, evaluations };
  if (!Number.isFinite(r)) return { ok: false, reason: 'nan', message: `the (V1, V2) system produced a non-finite value at V1 = ${V1}, V2 = ${V2}`, V1, V2, evaluations };
  // Fallback: monotone iteration from below (converges to the smallest fixed point, slowly near interpolation).
  const maxFallback = opts.maxFallbackIterations ?? 200000;
  let f1 = 0;
  let f2 = 0;
  for (let it = 0; it < maxFallback; it++) {
    const e = T(f1, f2);
    if (!Number.isFinite(e.T1) || !Number.isFinite(e.T2)) return { ok: false, reason: 'nan', message: 'monotone iteration produced a non-finite value', V1: f1, V2: f2, evaluations };
    const done = it > 0 && maxAbs(Math.log(e.T1 / f1), Math.log(e.T2 / f2)) <= tol;
    f1 = e.T1;
    f2 = e.T2;
    if (done) return { ok: true, V1: f1, V2: f2, ev: T(f1, f2), evaluations };
  }
  return { ok: false, reason: 'max-iterations', message: `Newton stalled and ${maxFallback} monotone iterations did not converge (last step ${r})`, V1: f1, V2: f2, evaluations };
}

/** The rest of the reduced solve once (V1, V2) is known (module comment). */
function completeFromV(p: SrfProblem, V1: number, V2: number, ev: TEval): { x: SrfOrderParameters; conjugates: SrfConjugates } | { singular: string } {
  const t: ConditionalTables = p.tables;
  const { kappa, weights, mu0: mu0c, mu1: mu1c, mu2Squared, h: hc, h1: h1c, hh: hhc } = t;
  const alpha = p.alpha;
  const s = ev.sums;
  const n = kappa.length;
  let ph = 0, th = 0, t0 = 0, t1 = 0, e00 = 0, eh = 0;
  for (let a = 0; a < n; a++) {
    const mu1 = mu1c[a];
    const mu0 = mu0c[a];
    const k = kappa[a];
    const wg = weights[a] / (1 + mu1 * mu1 * V1 + mu2Squared[a] * V2);
    const kmu1 = k * mu1;
    ph += wg * mu1 * h1c[a];
    th += wg * kmu1 * hc[a];
    t0 += wg * kmu1 * mu0;
    t1 += wg * kmu1 * kmu1;
    e00 += wg * mu0 * mu0;
    eh += wg * mu0 * hc[a];
  }
  const psh = alpha * ph;
  const psi = psh * s.AH;
  const aF = alpha * s.AF;
  let theta: number;
  let m: number;
  if (t.zeroColumns.includes('mu0') || e00 === 0) {
    m = 0;
    theta = (aF * th) / (1 + aF * t1);
  } else {
    const det = (1 + aF * t1) * e00 - aF * t0 * t0;
    if (!(Math.abs(det) > 0) || !Number.isFinite(det)) return { singular: `the (theta, m) system is singular (det = ${det})` };
    theta = (aF * th * e00 - aF * t0 * eh) / det;
    m = ((1 + aF * t1) * eh - t0 * aF * th) / det;
  }
  const thh = alpha * (th - m * t0 - theta * t1);
  // (q1, q2)
  let c1 = 0;
  let c2 = 0;
  const noise = p.noise;
  for (let a = 0; a < n; a++) {
    const mu1 = mu1c[a];
    const m1 = mu1 * mu1;
    const m2 = mu2Squared[a];
    const g = 1 / (1 + m1 * V1 + m2 * V2);
    const pk = mu0c[a] * m + mu1 * kappa[a] * theta;
    const E0 = hhc[a] - 2 * pk * hc[a] + pk * pk - 2 * mu1 * psi * h1c[a] + noise;
    const wg2E = weights[a] * g * g * E0;
    c1 += wg2E * m1;
    c2 += wg2E * m2;
  }
  const R1 = thh * thh * s.BDF + psh * psh * s.BDH;
  const R2 = thh * thh * s.BF + psh * psh * s.BH;
  const { b11, b12, b22 } = ev;
  // M = I - alpha S2 B
  const m11 = 1 - alpha * (s.B2 * b11 + s.B1 * b12);
  const m12 = -alpha * (s.B2 * b12 + s.B1 * b22);
  const m21 = -alpha * (s.B1 * b11 + s.B0 * b12);
  const m22 = 1 - alpha * (s.B1 * b12 + s.B0 * b22);
  const r1 = alpha * (s.B2 * c1 + s.B1 * c2) + R1;
  const r2 = alpha * (s.B1 * c1 + s.B0 * c2) + R2;
  const det = m11 * m22 - m12 * m21;
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) return { singular: `the (q1, q2) system is singular (det = ${det}): the fixed point is at the edge of stability` };
  const q1 = (m22 * r1 - m12 * r2) / det;
  const q2 = (-m21 * r1 + m11 * r2) / det;
  const qh1 = alpha * (c1 + b11 * q1 + b12 * q2);
  const qh2 = alpha * (c2 + b12 * q1 + b22 * q2);
  return { x: { q1, q2, V1, V2, theta, psi, m }, conjugates: { qh1, qh2, Vh1: ev.Vh1, Vh2: ev.Vh2, thh, psh } };
}

/** The reduced solve (module comment). `iterations` counts evaluations of T. */
export function reducedSolve(p: SrfProblem, opts: ReducedOptions = {}): SrfSolveResult {
  const why = noFiniteSolutionReason(p);
  if (why) return { ok: false, reason: 'no-finite-solution', message: why, iterations: 0, residual: Infinity };
  const v = solveV(p, opts);
  if (!v.ok) return { ok: false, reason: v.reason, message: v.message, iterations: v.evaluations, residual: NaN };
  const done = completeFromV(p, v.V1, v.V2, v.ev);
  if ('singular' in done) return { ok: false, reason: 'singular', message: done.singular, iterations: v.evaluations, residual: NaN };
  // the check of the whole solution: the seven-parameter map at x (one fused pass that also gives the errors)
  const { residual, risk, trainError } = srfCheck(p, done.x);
  if (!Number.isFinite(residual)) return { ok: false, reason: 'nan', message: 'the solution has non-finite entries', iterations: v.evaluations, residual, last: done.x };
  const maxResidual = opts.residualTolerance ?? 1e-10;
  if (residual > maxResidual) {
    return { ok: false, reason: 'residual-too-large', message: `the seven-parameter residual at the reduced solution is ${residual.toExponential(2)} > ${maxResidual}`, iterations: v.evaluations, residual, last: done.x };
  }
  return { ok: true, x: done.x, conjugates: done.conjugates, iterations: v.evaluations, residual, errors: { risk, trainError } };
}
