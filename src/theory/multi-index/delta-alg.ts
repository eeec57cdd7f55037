/**
 * The algorithmic weak-recovery threshold delta_alg of a multi-index target (multi-index.md section 3).
 *
 * Single index (Mondelli & Montanari 2018, "Fundamental limits of weak recovery with applications to
 * phase retrieval", FoCM, arXiv 1708.05932; Barbier, Krzakala, Macris, Miolane, Zdeborová 2019, PNAS,
 * arXiv 1708.03395): if E[z | y] != 0 with positive probability the direction is learnable for any
 * delta > 0 (delta_alg = 0); otherwise delta_alg = 1 / E_y[(E[z^2 | y] - 1)^2].
 *
 * Multi-index (Troiani, Dandi, Defilippis, Zdeborová, Loureiro, Krzakala 2024, arXiv 2405.15480;
 * Defilippis, Troiani, ... 2025, arXiv 2502.02545): the trivial subspace is the range of
 * E_y[E[z | y] E[z | y]^T] (directions learnable for any delta > 0); with G(y) = E[z z^T | y] - I_k and
 * the linear map F(M) = E_y[G(y) M G(y)] on symmetric k x k matrices, delta_alg = 1 / (top eigenvalue of F).
 * F is self-adjoint in the Frobenius inner product; we write it in the orthonormal basis E_ii,
 * (E_ij + E_ji) / sqrt(2) (p = k (k + 1) / 2) and diagonalise the p x p matrix.
 *
 * When the trivial subspace is not {0}, delta_alg = 0 (something is learned at any delta). We also report
 * `complement`: 1 / top eigenvalue of F with G projected onto the orthogonal complement of the trivial
 * subspace. This is NOT the staircase threshold of Troiani et al. (which conditions on the learned
 * coordinates as well as on y); it is an indication only and says so.
 *
 * Conditional laws come from tables.ts (quadrature over level sets where the target allows it, else the
 * cross-fitted binned Monte Carlo estimator with replicates). Quadratic functionals of the table use the
 * two independent estimates A, B: sum_s w_s tr(B_a G_A(y_s) B_b G_B(y_s)) (for quadrature tables A = B).
 */
import { NumericsError } from '../../numerics/errors.js';
import { foldIn, rootKey, type Key } from '../../random/key.js';
import type { MultiIndexTarget } from '../../models/multi-index-teacher.js';
import { symmetricEigen } from './small-linalg.js';
import { firstCoordinateTable, monteCarloTable, productTable, quadratureMethod, radialTable, type ConditionalTable, type MonteCarloTableOptions, type TableMethod } from './tables.js';

/** The trivial matrix E[E[z|y] E[z|y]^T] (k x k) and F (p x p) of one table; `P` projects G first. */
export interface TableFunctionals {
  trivial: Float64Array;
  F: Float64Array;
  /** Total weight of the table (1 up to the quadrature error). */
  mass: number;
}

/** Orthonormal basis of symmetric k x k matrices: E_ii, then (E_ij + E_ji)/sqrt 2 for i < j. */
export function symmetricBasis(k: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    const B = new Float64Array(k * k);
    B[i * k + i] = 1;
    out.push(B);
  }
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const B = new Float64Array(k * k);
      B[i * k + j] = B[j * k + i] = Math.SQRT1_2;
      out.push(B);
    }
  }
  return out;
}

function mul(A: Float64Array, B: Float64Array, k: number): Float64Array {
  const C = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let l = 0; l < k; l++) {
    const a = A[i * k + l];
    if (a === 0) continue;
    for (let j = 0; j < k; j++) C[i * k + j] += a * B[l * k + j];
  }
  return C;
}

/** G = second - I, optionally P G P. */
function gMatrix(second: Float64Array, k: number, P: Float64Array | null): Float64Array {
  const G = second.slice();
  for (let i = 0; i < k; i++) G[i * k + i] -= 1;
  return P ? mul(mul(P, G, k), P, k) : G;
}

/** The functionals of one table (module comment). Cost O(S p^2 k^3) for S nodes, tiny for k <= 4. */
export function tableFunctionals(table: ConditionalTable, P: Float64Array | null = null): TableFunctionals {
  const k = table.k;
  const basis = symmetricBasis(k);
  const p = basis.length;
  const trivial = new Float64Array(k * k);
  const F = new Float64Array(p * p);
  let mass = 0;
  for (const nd of table.nodes) {
    const w = nd.weight;
    mass += w;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) trivial[i * k + j] += 0.5 * w * (nd.meanA[i] * nd.meanB[j] + nd.meanB[i] * nd.meanA[j]);
    const GA = gMatrix(nd.secondA, k, P);
    const GB = gMatrix(nd.secondB, k, P);
    // tr(B_a GA B_b GB) = sum (GA B_b GB)_{ij} B_a_{ji}
    const BG = basis.map((Bb) => mul(mul(GA, Bb, k), GB, k));
    for (let a = 0; a < p; a++) {
      const Ba = basis[a];
      for (let b = 0; b < p; b++) {
        const X = BG[b];
        let t = 0;
        for (let i = 0; i < k * k; i++) t += Ba[i] * X[i]; // B_a symmetric: tr(B_a X) = sum B_a_ij X_ij
        F[a * p + b] += w * t;
      }
    }
  }
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) F[a * p + b] = F[b * p + a] = 0.5 * (F[a * p + b] + F[b * p + a]);
  return { trivial, F, mass };
}

export interface DeltaAlgOptions {
  /** 'auto' (default): quadrature where the target allows it (tables.ts), else Monte Carlo. */
  method?: 'auto' | 'quadrature' | 'monte-carlo';
  /** Key of the Monte Carlo draws (default rootKey(0)). */
  key?: Key;
  /** Independent Monte Carlo replicates for the error bar (default 8). */
  replicates?: number;
  monteCarlo?: MonteCarloTableOptions;
}

export interface DeltaAlgResult {
  /** delta_alg: 0 when there are trivial directions, else 1 / topEigenvalue; null when F = 0 (labels carry no information on z). */
  deltaAlg: number | null;
  /** Error bar of deltaAlg: quadrature error estimate (rule vs refined rule) or Monte Carlo standard error (delta method). */
  deltaAlgError: number;
  errorKind: 'quadrature' | 'monte-carlo-standard-error';
  /** Top eigenvalue of F (on the complement of the trivial subspace) and its error bar. */
  topEigenvalue: number;
  topEigenvalueError: number;
  /** The top eigen-matrix of F (k x k row-major, unit Frobenius norm). */
  topEigenmatrix: number[];
  /** All eigenvalues of F, descending. */
  eigenvalues: number[];
  /** Orthonormal basis (rows, length k) of the trivial subspace span{E[z | y]}; empty when none. */
  trivialDirections: number[][];
  /** Eigenvalues of E[E[z|y]E[z|y]^T], descending (with error bars under Monte Carlo). */
  trivialEigenvalues: number[];
  /** With trivial directions: 1 / top eigenvalue of F with G projected on their complement (indication only; module comment). */
  complement: { deltaAlg: number | null; topEigenvalue: number; note: string } | null;
  method: TableMethod;
  /** Total probability mass of the quadrature table (a check: 1 up to the quadrature error). */
  mass: number;
  replicates: number;
  warnings: string[];
}

interface Summary {
  trivialValues: Float64Array;
  trivialVectors: Float64Array;
  topValue: number;
  values: Float64Array;
  vector: Float64Array;
  mass: number;
}

function summarize(table: ConditionalTable, P: Float64Array | null): Summary {
  const k = table.k;
  const f = tableFunctionals(table, P);
  const te = symmetricEigen(f.trivial, k);
  const p = (k * (k + 1)) / 2;
  const fe = symmetricEigen(f.F, p);
  const vector = new Float64Array(k * k);
  const basis = symmetricBasis(k);
  for (let a = 0; a < p; a++) for (let i = 0; i < k * k; i++) vector[i] += fe.vectors[a * p + (p - 1)] * basis[a][i];
  return { trivialValues: te.values, trivialVectors: te.vectors, topValue: fe.values[p - 1], values: fe.values, vector, mass: f.mass };
}

function meanSe(xs: number[]): [number, number] {
  const n = xs.length;
  const m = xs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return [m, NaN];
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
  return [m, Math.sqrt(v / n)];
}

function projectorOff(directions: number[][], k: number): Float64Array {
  const P = new Float64Array(k * k);
  for (let i = 0; i < k; i++) P[i * k + i] = 1;
  for (const v of directions) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) P[i * k + j] -= v[i] * v[j];
  return P;
}

const COMPLEMENT_NOTE =
  'F with G projected on the complement of the trivial subspace, conditioned on y only; the staircase threshold of Troiani et al. 2024 also conditions on the learned coordinates (not implemented)';

/** delta_alg of a target with label noise of variance `noise` (module comment). */
export function deltaAlg(target: MultiIndexTarget, noise = 0, opts: DeltaAlgOptions = {}): DeltaAlgResult {
  const routine = 'deltaAlg';
  if (!Number.isFinite(noise) || noise < 0) throw new NumericsError(routine, `noise must be a finite number >= 0, got ${noise}`);
  const method = opts.method ?? 'auto';
  if (!['auto', 'quadrature', 'monte-carlo'].includes(method)) throw new NumericsError(routine, `method must be "auto", "quadrature" or "monte-carlo", got ${JSON.stringify(method)}`);
  const k = target.k;
  const quad = quadratureMethod(target, noise);
  if (method === 'quadrature' && !quad) {
    throw new NumericsError(routine, `no level-set quadrature for target "${target.name}" (k = ${k}) with noise ${noise}: available for noiseless single-index links on z1, radial targets and y = z1 z2 (k = 2); use method "monte-carlo"`);
  }
  const warnings: string[] = [];
  if (quad && method !== 'monte-carlo') {
    const build = (fine: boolean): ConditionalTable => (quad === 'level-set-z1' ? firstCoordinateTable(target, fine) : quad === 'level-set-radial' ? radialTable(target, fine) : productTable(fine));
    const coarse = build(false);
    const fine = build(true);
    const s0 = summarize(coarse, null);
    const s1 = summarize(fine, null);
    const errTop = Math.abs(s1.topValue - s0.topValue);
    const trivialDirections: number[][] = [];
    for (let j = k - 1; j >= 0; j--) if (s1.trivialValues[j] > 1e-9 + 10 * Math.abs(s1.trivialValues[j] - s0.trivialValues[j])) trivialDirections.push(column(s1.trivialVectors, k, j));
    if (Math.abs(s1.mass - 1) > 1e-8) warnings.push(`the quadrature table's total mass is ${s1.mass}, not 1: the level sets may be incomplete (critical points beyond |t| = 12?)`);
    return finish(k, quad, s1, errTop, 'quadrature', trivialDirections, null, fine, 1, warnings);
  }
  const R = opts.replicates ?? 8;
  if (!Number.isInteger(R) || R < 2) throw new NumericsError(routine, `replicates must be an integer >= 2, got ${R}`);
  const key = opts.key ?? rootKey(0);
  const tables = Array.from({ length: R }, (_, r) => monteCarloTable(target, noise, foldIn(key, r), opts.monteCarlo));
  const sums = tables.map((t) => summarize(t, null));
  const trivialMean = new Float64Array(k * k);
  for (const t of tables) {
    const f = tableFunctionals(t, null);
    for (let i = 0; i < k * k; i++) trivialMean[i] += f.trivial[i] / R;
  }
  const te = symmetricEigen(trivialMean, k);
  const trivialDirections: number[][] = [];
  const trivialValues: number[] = [];
  for (let j = k - 1; j >= 0; j--) {
    const v = column(te.vectors, k, j);
    // per-replicate Rayleigh quotients along v give the error bar of this eigenvalue
    const q = tables.map((t) => rayleigh(tableFunctionals(t, null).trivial, v, k));
    const [m, se] = meanSe(q);
    trivialValues.push(m);
    if (m > 1e-9 + 4 * se) trivialDirections.push(v);
  }
  const [top, topSe] = meanSe(sums.map((s) => s.topValue));
  const s: Summary = { ...sums[0], topValue: top };
  // average F for the eigenvector and spectrum
  const p = (k * (k + 1)) / 2;
  const Fm = new Float64Array(p * p);
  for (const t of tables) {
    const f = tableFunctionals(t, null);
    for (let i = 0; i < p * p; i++) Fm[i] += f.F[i] / R;
  }
  const fe = symmetricEigen(Fm, p);
  const basis = symmetricBasis(k);
  const vector = new Float64Array(k * k);
  for (let a = 0; a < p; a++) for (let i = 0; i < k * k; i++) vector[i] += fe.vectors[a * p + (p - 1)] * basis[a][i];
  s.values = fe.values;
  s.vector = vector;
  s.mass = 1;
  warnings.push(`Monte Carlo: ${R} replicates of ${opts.monteCarlo?.samples ?? 200000} draws in ${opts.monteCarlo?.bins ?? 400} bins; the error bar is the standard error over replicates and does not include the binning bias (which lowers the top eigenvalue of F)`);
  const result = finish(k, 'monte-carlo', s, topSe, 'monte-carlo-standard-error', trivialDirections, tables, null, R, warnings);
  result.trivialEigenvalues = trivialValues;
  return result;
}

function column(V: Float64Array, k: number, j: number): number[] {
  return Array.from({ length: k }, (_, i) => V[i * k + j]);
}

function rayleigh(A: Float64Array, v: number[], k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += v[i] * A[i * k + j] * v[j];
  return s;
}

function finish(
  k: number,
  method: TableMethod,
  s: Summary,
  topErr: number,
  errorKind: DeltaAlgResult['errorKind'],
  trivialDirections: number[][],
  mcTables: ConditionalTable[] | null,
  quadTable: ConditionalTable | null,
  replicates: number,
  warnings: string[],
): DeltaAlgResult {
  const top = s.topValue;
  const informative = top > Math.max(1e-12, 3 * topErr);
  let complement: DeltaAlgResult['complement'] = null;
  if (trivialDirections.length > 0 && trivialDirections.length < k) {
    const P = projectorOff(trivialDirections, k);
    const tops = (mcTables ?? [quadTable!]).map((t) => summarize(t, P).topValue);
    const [ct] = meanSe(tops);
    complement = { deltaAlg: ct > 1e-12 ? 1 / ct : null, topEigenvalue: ct, note: COMPLEMENT_NOTE };
  }
  const trivial = trivialDirections.length > 0;
  const deltaAlgValue = trivial ? 0 : informative ? 1 / top : null;
  if (!trivial && !informative) warnings.push('F vanishes (to the error bar): the labels carry no second-order information on z; delta_alg is not finite');
  return {
    deltaAlg: deltaAlgValue,
    deltaAlgError: trivial ? 0 : informative ? topErr / (top * top) : NaN,
    errorKind,
    topEigenvalue: top,
    topEigenvalueError: topErr,
    topEigenmatrix: Array.from(s.vector),
    eigenvalues: Array.from(s.values).reverse(),
    trivialDirections,
    trivialEigenvalues: Array.from(s.trivialValues).reverse(),
    complement,
    method,
    mass: s.mass,
    replicates,
    warnings,
  };
}
