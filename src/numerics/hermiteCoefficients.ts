/**
 * Hermite coefficients of an arbitrary function by quadrature:
 *   mu_k = E[f(Z) He_k(Z)] / sqrt(k!) = E[f(Z) h_k(Z)],  k = 0..K,  and  E f(Z)^2,
 * all from ONE set of evaluations of f per rule (h_k by the normalised recurrence at each node), with the
 * rules and the doubling check of ./gaussianQuadrature.ts. Converged when every coefficient and E f^2
 * change by at most max(absTol, relTol * ||f||) between successive rules, ||f|| = sqrt(E f^2).
 * For the closed forms of the built-in activations see src/activations/coefficients.ts.
 */
import { checkFunction, checkInteger, checkPositive } from './errors.js';
import { gaussianRule, quadratureStages, type GaussianQuadratureOptions, type GaussianRuleKind } from './gaussianQuadrature.js';
import { MAX_POLYNOMIAL_DEGREE } from './hermite.js';

export type CoefficientsResult =
  | {
      ok: true;
      /** mu_0 .. mu_K */
      mu: number[];
      /** E f(Z)^2 */
      secondMoment: number;
      rule: GaussianRuleKind;
      order: number;
      evaluations: number;
      errorEstimate: number;
    }
  | {
      ok: false;
      reason: 'not-converged' | 'nan';
      last: { mu: number[]; secondMoment: number };
      rule: GaussianRuleKind;
      order: number;
      evaluations: number;
      errorEstimate: number;
    };

/** mu_0..mu_K and E f^2 of f (see the module comment); options as for `integrateGaussian`. */
export function hermiteCoefficientsByQuadrature(f: (z: number) => number, K: number, opts: GaussianQuadratureOptions = {}): CoefficientsResult {
  const routine = 'hermiteCoefficientsByQuadrature';
  checkFunction(routine, 'f', f);
  checkInteger(routine, 'K', K, 0, MAX_POLYNOMIAL_DEGREE);
  const absTol = opts.absTol ?? 1e-12;
  const relTol = opts.relTol ?? 1e-12;
  checkPositive(routine, 'absTol', absTol, true);
  checkPositive(routine, 'relTol', relTol, true);
  const kinks = opts.kinks ?? [];
  const stages = quadratureStages(opts);
  const h = new Float64Array(K + 1);
  let prev: { mu: number[]; secondMoment: number } | undefined;
  let evaluations = 0;
  let err = Infinity;
  let last = { mu: new Array<number>(K + 1).fill(NaN), secondMoment: NaN };
  let stage = stages[0];
  for (let s = 0; s < stages.length; s++) {
    stage = stages[s];
    const { nodes, weights } = gaussianRule(stage.kind, stage.order, stage.kind === 'piecewise' ? kinks : []);
    const mu = new Array<number>(K + 1).fill(0);
    let m2 = 0;
    for (let i = 0; i < nodes.length; i++) {
      const w = weights[i];
      if (w === 0) continue;
      const z = nodes[i];
      const fz = f(z);
      evaluations++;
      const wf = w * fz;
      m2 += wf * fz;
      // normalised Hermite recurrence at z
      h[0] = 1;
      if (K >= 1) h[1] = z;
      for (let k = 1; k < K; k++) h[k + 1] = (z * h[k] - Math.sqrt(k) * h[k - 1]) / Math.sqrt(k + 1);
      for (let k = 0; k <= K; k++) mu[k] += wf * h[k];
    }
    last = { mu, secondMoment: m2 };
    const where = { rule: stage.kind, order: stage.order, evaluations };
    if (!Number.isFinite(m2) || !mu.every(Number.isFinite)) return { ok: false, reason: 'nan', last, ...where, errorEstimate: NaN };
    if (stages.length === 1) return { ok: true, mu, secondMoment: m2, ...where, errorEstimate: NaN };
    if (prev) {
      const norm = Math.sqrt(Math.max(m2, 0));
      err = Math.abs(m2 - prev.secondMoment) / Math.max(norm, 1e-300) / 2; // change of ||f||, roughly
      for (let k = 0; k <= K; k++) err = Math.max(err, Math.abs(mu[k] - prev.mu[k]));
      if (err <= Math.max(absTol, relTol * norm)) return { ok: true, mu, secondMoment: m2, ...where, errorEstimate: err };
    }
    prev = last;
  }
  return { ok: false, reason: 'not-converged', last, rule: stage.kind, order: stage.order, evaluations, errorEstimate: err };
}
