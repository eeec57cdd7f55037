/**
 * The spiked random-features (sRF) model of the network after one large step (Cui et al. 2024, arXiv
 * 2402.04980, section 3; ../shared/spec/srf.md section 1): instead of simulating the step, draw the
 * first-layer weights directly as
 *   w1_i = sqrt(c(s_i)) w0_i + r(s_i) v,      s_i = sqrt(N) a0_i,
 * i.e. F = sqrt(c) W + r 1 v^T for the constant readout (s_i = 1), with the per-neuron map of srf.md
 * section 5 (`srfNeuronMap` of src/models/srf-map.ts) for random readouts. v is a unit vector with
 * <v, beta*> = gamma:
 *   v = gamma beta* + sqrt(1 - gamma^2) zeta,  zeta a uniformly random unit vector orthogonal to beta*.
 * (c, r, gamma) come from the sRF map of src/models/srf-map.ts; this module only draws.
 * Cost: O(d N). Memory: the returned d x N matrix.
 */
import { clone, type FloatArray, type Matrix } from '../linalg/matrix.js';
import { fillNormal, type Key } from '../random/index.js';
import { SimulationError } from './errors.js';

/** Bulk variance c and spike strength r of a neuron with readout sign/scale s = sqrt(N) a0_i. */
export type NeuronMap = (s: number) => { c: number; r: number };

/** The spike direction v (unit, <v, beta*> = gamma), drawn from `key`. */
export function drawSpikeDirection(key: Key, betaStar: Float64Array, gamma: number): Float64Array {
  if (!(Math.abs(gamma) <= 1)) throw new SimulationError('invalid', `sRF: gamma must lie in [-1, 1], got ${gamma}`);
  const d = betaStar.length;
  const zeta = fillNormal(key, new Float64Array(d));
  let proj = 0;
  for (let j = 0; j < d; j++) proj += zeta[j] * betaStar[j];
  let norm2 = 0;
  for (let j = 0; j < d; j++) {
    zeta[j] -= proj * betaStar[j];
    norm2 += zeta[j] * zeta[j];
  }
  const rho = Math.sqrt(Math.max(0, 1 - gamma * gamma));
  const inv = d > 1 ? 1 / Math.sqrt(norm2) : 0;
  const v = new Float64Array(d);
  for (let j = 0; j < d; j++) v[j] = gamma * betaStar[j] + rho * zeta[j] * inv;
  return v;
}

/** sRF first-layer weights (d x N) from W0 (d x N, columns w0_i), a0 and the spike direction v. */
export function srfWeights<T extends FloatArray>(W0: Matrix<T>, a0: Float64Array, v: Float64Array, neuron: NeuronMap): Matrix<T> {
  const { rows: d, cols: N } = W0;
  const F = clone(W0);
  const bulk = new Float64Array(N);
  const spike = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const { c, r } = neuron(Math.sqrt(N) * a0[i]);
    if (!(c >= 0) || !Number.isFinite(c) || !Number.isFinite(r)) throw new SimulationError('invalid', `sRF: neuron ${i}: expected c >= 0 and a finite r, got c = ${c}, r = ${r}`);
    bulk[i] = Math.sqrt(c);
    spike[i] = r;
  }
  const f = F.data;
  for (let j = 0; j < d; j++) {
    const row = j * N;
    const vj = v[j];
    for (let i = 0; i < N; i++) f[row + i] = bulk[i] * f[row + i] + spike[i] * vj;
  }
  return F;
}
