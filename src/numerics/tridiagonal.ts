/**
 * Eigenvalues of a real symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson shifts
 * (Bowdler, Martin, Reinsch & Wilkinson 1968, "The QR and QL algorithms for symmetric matrices",
 * Numer. Math. 11, the EISPACK routines tql1/tql2; Golub & Van Loan, Matrix Computations, section 8.3).
 * Optionally accumulates the FIRST ROW of the eigenvector matrix, which is all Golub & Welsch (1969,
 * "Calculation of Gauss quadrature rules", Math. Comp. 23) need for quadrature weights.
 *
 * Cost O(n^2) time (about 30 n^2 flops with first components), O(n) memory. Pure TypeScript: this is the
 * browser-safe path; the linalg backends offer full dense eigensolvers for everything else.
 */
import { NumericsError } from './errors.js';

export interface TridiagonalEigen {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** firstComponents[k] = first component of the unit eigenvector of values[k] (sign arbitrary). */
  firstComponents?: Float64Array;
}

/**
 * Eigenvalues (and optionally eigenvector first components) of the symmetric tridiagonal matrix with
 * diagonal `diag` (length n) and off-diagonal `offDiag` (length n - 1; offDiag[i] couples i and i + 1).
 * Throws a NumericsError if an eigenvalue needs more than 60 QL sweeps (never observed in practice).
 */
export function tridiagonalEigen(diag: ArrayLike<number>, offDiag: ArrayLike<number>, firstComponents = false): TridiagonalEigen {
  const n = diag.length;
  if (n === 0) throw new NumericsError('tridiagonalEigen', 'diag must have length >= 1, got 0');
  if (offDiag.length !== n - 1) {
    throw new NumericsError('tridiagonalEigen', `offDiag must have length diag.length - 1 = ${n - 1}, got ${offDiag.length}`);
  }
  const d = Float64Array.from(diag);
  const e = new Float64Array(n); // e[i] couples d[i] and d[i+1]; e[n-1] = 0
  for (let i = 0; i < n - 1; i++) e[i] = offDiag[i];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]) || !Number.isFinite(e[i])) {
      throw new NumericsError('tridiagonalEigen', `entries must be finite, got diag[${i}] = ${d[i]}, offDiag[${i}] = ${e[i]}`);
    }
  }
  let z: Float64Array | undefined;
  if (firstComponents) {
    z = new Float64Array(n);
    z[0] = 1;
  }
  const EPS = 2.220446049250313e-16;

  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      // Look for a negligible off-diagonal element to split the matrix at m.
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= EPS * dd) break;
      }
      if (m === l) break; // d[l] has converged
      if (++iter > 60) throw new NumericsError('tridiagonalEigen', `no convergence for eigenvalue ${l} after 60 QL sweeps`);

      // Wilkinson shift from the leading 2 x 2 block.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      // Chase the bulge from the bottom (m) up to l with plane rotations.
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the matrix splits; restart the sweep.
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (z) {
          const zi1 = z[i + 1];
          z[i + 1] = s * z[i] + c * zi1;
          z[i] = c * z[i] - s * zi1;
        }
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }

  // Sort ascending (with the first components alongside).
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => d[a] - d[b]);
  const values = Float64Array.from(order, (k) => d[k]);
  if (!z) return { values };
  const zz = z;
  return { values, firstComponents: Float64Array.from(order, (k) => zz[k]) };
}
