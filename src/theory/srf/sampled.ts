/**
 * The 'sampled' spectrum of the sRF equations (../shared/spec/srf.md section 3; the authors' way in Cui et
 * al. 2024, arXiv 2402.04980): draw W (N x d, unit-norm rows), v and zeta once, eigendecompose
 * Omega = c W Pi W^T and form
 *   D_j (eigenvalues),  F_j = N (u_j^T sqrt(c) W v)^2,  H_j = N (u_j^T sqrt(c) W zeta)^2   (v, zeta UNIT).
 * The authors' code scales v and zeta to norm sqrt(d); that equals this only when N = d.
 *
 * The theory engine imports nothing Node-only, so the eigendecomposition comes from a `LinalgBackend`
 * passed in (or from eigenpairs computed elsewhere: `spectrumFromWeights`). Random draws use the portable
 * (pure TypeScript) generator, bit-identical to the native one: standard normal rows normalised to unit
 * length (uniform on the sphere). By rotation invariance of that law, v = e_1 and zeta = e_2 in
 * `sampleSrfSpectrum` are as good as random unit vectors. D, F and H are linear in c, so one draw and one
 * eigendecomposition at c = 1 (`sampleUnitSrfSpectrum`) serve every c (`scaleUnitSpectrum`): sweeps reuse it.
 * Cost: one N x N eigh (O(N^3)), 8 N^2 bytes
 * twice, plus O(N d) for the draws; d = N = 2000 takes a few seconds with OpenBLAS.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { Matrix } from '../../linalg/matrix.js';
import { NumericsError } from '../../numerics/errors.js';
import { checkKey, foldIn, type Key } from '../../random/key.js';
import { fillNormalPortable } from '../../random/portable.js';
import { discreteSpectrum, type SrfSpectrum } from './spectrum.js';

/**
 * The spectrum of given weights: W (N x d, rows = neurons, any norms; the model uses unit rows), unit
 * vectors v ⊥ zeta in R^d, bulk variance c.
 */
export function spectrumFromWeights(backend: LinalgBackend, W: Matrix<Float64Array>, v: Float64Array, zeta: Float64Array, c: number): SrfSpectrum {
  if (!(c > 0 && Number.isFinite(c))) throw new NumericsError('spectrumFromWeights', `c must be a finite number > 0, got ${c}`);
  return scaleUnitSpectrum(unitSpectrumFromWeights(backend, W, v, zeta), c);
}

/** D_j, F_j, H_j of Omega at c = 1 (they scale linearly with c: D, F, H -> c D, c F, c H). */
export interface UnitSrfSpectrum {
  D: Float64Array;
  F: Float64Array;
  H: Float64Array;
  N: number;
  d: number;
}

/** The spectrum at bulk variance c from the c = 1 one (one eigendecomposition serves every c). */
export function scaleUnitSpectrum(u: UnitSrfSpectrum, c: number): SrfSpectrum {
  if (!(c > 0 && Number.isFinite(c))) throw new NumericsError('scaleUnitSpectrum', `c must be a finite number > 0, got ${c}`);
  return discreteSpectrum({
    D: u.D.map((x) => c * x),
    F: u.F.map((x) => c * x),
    H: u.H.map((x) => c * x),
    c,
    ratio: u.N / u.d,
    description: `sampled spectrum, N = ${u.N}, d = ${u.d}, c = ${c}`,
  });
}

/** The c = 1 spectral inputs of given weights (see `spectrumFromWeights`). */
export function unitSpectrumFromWeights(backend: LinalgBackend, W: Matrix<Float64Array>, v: Float64Array, zeta: Float64Array): UnitSrfSpectrum {
  const routine = 'spectrumFromWeights';
  const N = W.rows;
  const d = W.cols;
  if (v.length !== d || zeta.length !== d) throw new NumericsError(routine, `v and zeta must have length d = ${d}, got ${v.length} and ${zeta.length}`);
  let vv = 0;
  let zz = 0;
  let vz = 0;
  for (let i = 0; i < d; i++) {
    vv += v[i] * v[i];
    zz += zeta[i] * zeta[i];
    vz += v[i] * zeta[i];
  }
  if (Math.abs(vv - 1) > 1e-10 || Math.abs(zz - 1) > 1e-10 || Math.abs(vz) > 1e-10) {
    throw new NumericsError(routine, `v and zeta must be orthonormal, got |v|^2 = ${vv}, |zeta|^2 = ${zz}, <v, zeta> = ${vz}`);
  }
  // Wv, Wzeta and W Pi = W - (W v) v^T.
  const Wv = new Float64Array(N);
  const Wz = new Float64Array(N);
  backend.gemv(false, 1, W, v, 0, Wv);
  backend.gemv(false, 1, W, zeta, 0, Wz);
  const WPi: Matrix<Float64Array> = { rows: N, cols: d, data: Float64Array.from(W.data) };
  for (let i = 0; i < N; i++) {
    const row = i * d;
    const a = Wv[i];
    for (let k = 0; k < d; k++) WPi.data[row + k] -= a * v[k];
  }
  const Omega: Matrix<Float64Array> = { rows: N, cols: N, data: new Float64Array(N * N) };
  backend.syrk(false, 1, WPi, 0, Omega);
  const { values, vectors } = backend.eigh(Omega);
  // Projections u_j^T W v for all j at once: U^T (W v).
  const pv = new Float64Array(N);
  const pz = new Float64Array(N);
  backend.gemv(true, 1, vectors, Wv, 0, pv);
  backend.gemv(true, 1, vectors, Wz, 0, pz);
  const D = new Float64Array(N);
  const F = new Float64Array(N);
  const H = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    D[j] = Math.max(0, values[j]); // rounding can make zero eigenvalues slightly negative
    F[j] = N * pv[j] * pv[j];
    H[j] = N * pz[j] * pz[j];
  }
  return { D, F, H, N, d };
}

/**
 * Draws W (N x d, rows uniform on the unit sphere) from `key` and returns its sRF spectrum with v = e_1,
 * zeta = e_2 (see the module comment).
 */
export function sampleSrfSpectrum(backend: LinalgBackend, p: { N: number; d: number; c: number; key: Key }): SrfSpectrum {
  if (!(p.c > 0 && Number.isFinite(p.c))) throw new NumericsError('sampleSrfSpectrum', `c must be a finite number > 0, got ${p.c}`);
  return scaleUnitSpectrum(sampleUnitSrfSpectrum(backend, p), p.c);
}

/** The c = 1 spectral inputs of a draw (see `sampleSrfSpectrum`); rescale with `scaleUnitSpectrum`. */
export function sampleUnitSrfSpectrum(backend: LinalgBackend, p: { N: number; d: number; key: Key }): UnitSrfSpectrum {
  const routine = 'sampleSrfSpectrum';
  const { N, d, key } = p;
  if (!Number.isInteger(N) || N < 1) throw new NumericsError(routine, `N must be a positive integer, got ${N}`);
  if (!Number.isInteger(d) || d < 2) throw new NumericsError(routine, `d must be an integer >= 2, got ${d}`);
  checkKey('key', key);
  const k = foldIn(key, 'srf-spectrum-W');
  const W: Matrix<Float64Array> = { rows: N, cols: d, data: new Float64Array(N * d) };
  fillNormalPortable(k[0], k[1], W.data, 0, 0, 1);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += W.data[i * d + j] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) W.data[i * d + j] *= inv;
  }
  const v = new Float64Array(d);
  const zeta = new Float64Array(d);
  v[0] = 1;
  zeta[1] = 1;
  return unitSpectrumFromWeights(backend, W, v, zeta);
}
