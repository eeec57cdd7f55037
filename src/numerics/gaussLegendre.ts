/**
 * Gauss–Legendre quadrature on [-1, 1] (weight 1): Newton's method on the three-term recurrence
 * (k+1) P_{k+1} = (2k+1) x P_k - k P_{k-1}, started from Tricomi's approximation
 * x_i ~ cos(pi (i + 3/4) / (n + 1/2)), weights w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)
 * (Davis & Rabinowitz, Methods of Numerical Integration, 2nd ed., section 2.7; Abramowitz & Stegun 25.4.29).
 * Nodes and weights to ~1e-15 for the orders used here (n <= 1000); rules cached and frozen.
 * Used for the panels of the piecewise Gaussian rules (./gaussianQuadrature.ts).
 */
import { checkInteger } from './errors.js';
import type { QuadratureRule } from './gaussHermite.js';

export const GAUSS_LEGENDRE_MAX_ORDER = 1000;

const cache = new Map<number, QuadratureRule>();

/** The n-point Gauss–Legendre rule on [-1, 1], nodes ascending, symmetric, weights summing to 2. */
export function gaussLegendre(n: number): QuadratureRule {
  const cached = cache.get(n);
  if (cached) return cached;
  checkInteger('gaussLegendre', 'n', n, 1, GAUSS_LEGENDRE_MAX_ORDER);
  const nodes = new Array<number>(n);
  const weights = new Array<number>(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    // i-th largest root
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 1; k < n; k++) {
        const p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1;
        p1 = p2;
      }
      // P_n = p1, P_{n-1} = p0; P_n' = n (x P_n - P_{n-1}) / (x^2 - 1)
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) <= 1e-16) break;
    }
    if (n % 2 === 1 && i === m - 1) x = 0;
    // recompute the derivative at the final node
    let p0 = 1;
    let p1 = x;
    for (let k = 1; k < n; k++) {
      const p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
      p0 = p1;
      p1 = p2;
    }
    dp = (n * (x * p1 - p0)) / (x * x - 1);
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[n - 1 - i] = x;
    nodes[i] = -x;
    weights[n - 1 - i] = w;
    weights[i] = w;
  }
  if (n % 2 === 1) nodes[m - 1] = 0;
  const rule: QuadratureRule = Object.freeze({ nodes: Object.freeze(nodes), weights: Object.freeze(weights) });
  cache.set(n, rule);
  return rule;
}
