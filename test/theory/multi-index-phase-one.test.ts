/**
 * The reduced population GD of src/theory/multi-index/phase-one.ts (the phase-1 point of delta_NN)
 * against closed forms that do not use its quadrature, and the thresholds() / CLI option.
 */
import { describe, expect, it } from 'vitest';
import { getActivation } from '../../src/activations/index.js';
import { resolveDynamicsConfig } from '../../src/models/dynamics-config.js';
import { getMultiIndexTarget } from '../../src/models/multi-index-teacher.js';
import { capture } from '../cli/capture.js';
import { initialPhaseOnePoint, populationPhaseOne, thresholds, type PhaseOnePoint } from '../../src/theory/multi-index/index.js';

type Mat = number[][];
const mul = (A: Mat, B: Mat): Mat => A.map((r) => B[0].map((_, j) => r.reduce((s, v, l) => s + v * B[l][j], 0)));
const tr = (A: Mat): Mat => A[0].map((_, j) => A.map((r) => r[j]));

/**
 * Population GD of f(x) = sum_j a_j (w_j . x)^2 on y = |Theta*^T x|^2 with the square loss, written in the
 * (k + m)-dimensional span of Theta* and W. Closed form by Isserlis: with D = W^T diag(a) W - Theta* Theta*^T,
 * E[(x^T D x) x x^T] = tr(D) I + 2 D, so grad_{w_j} L = 2 a_j (tr(D) I + 2 D) w_j. We represent vectors in an
 * orthonormal basis (e_1..e_k = Theta*, then m orthogonal directions): W = [M | N].
 */
function isserlisStep(M: Mat, N: Mat, a: number[], eta: number): { M: Mat; N: Mat } {
  const m = M.length;
  const k = M[0].length;
  const p = k + m;
  const W = M.map((r, j) => [...r, ...N[j]]); // m x p
  const D: Mat = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, l) => W.reduce((s, w, j) => s + a[j] * w[i] * w[l], 0) - (i < k && l < k && i === l ? 1 : 0)));
  const trD = D.reduce((s, r, i) => s + r[i], 0);
  const K = D.map((r, i) => r.map((v, l) => 2 * v + (i === l ? trD : 0)));
  const G = W.map((w, j) => mul(K, w.map((v) => [v])).map((c) => 2 * a[j] * c[0]));
  const Wn = W.map((w, j) => w.map((v, i) => v - eta * G[j][i]));
  return { M: Wn.map((r) => r.slice(0, k)), N: Wn.map((r) => r.slice(k)) };
}

describe('populationPhaseOne: reduced population GD', () => {
  it('matches the Isserlis closed form (quadratic network, square loss, k = 1, m = 2) step by step', () => {
    const target = getMultiIndexTarget('phase-retrieval');
    const M0: Mat = [[0.3], [-0.2]];
    const N0: Mat = [
      [0.8, 0.1],
      [0.1, 0.6],
    ]; // symmetric PSD: its own square root, so Q0 = N0^2
    const init: PhaseOnePoint = { M: M0, Q: mul(N0, tr(N0)), a: [0.5, 0.4], b: 0 };
    const eta = 0.05;
    const steps = 6;
    // the degree-6 polynomial integrand is integrated exactly by the 3-D Gauss–Hermite rule: agreement to rounding
    const pop = populationPhaseOne(target, 0, getActivation('quadratic'), { name: 'square' }, init, { eta, maxSteps: steps, record: 1000, plateauTolerance: 1e-9, gradientDrop: 1e-12 });
    expect(pop.method).toBe('quadrature');
    let M = M0;
    let N = N0;
    for (let t = 1; t <= steps; t++) {
      ({ M, N } = isserlisStep(M, N, init.a, eta));
      const s = pop.trajectory.find((x) => x.step === t)!;
      const Q = mul(N, tr(N));
      for (let j = 0; j < 2; j++) {
        expect(s.M[j][0]).toBeCloseTo(M[j][0], 10);
        for (let l = 0; l < 2; l++) expect(s.Q[j][l]).toBeCloseTo(Q[j][l], 10);
      }
    }
    // the run moved (not a trivially constant trajectory)
    expect(Math.abs(M[0][0] - M0[0][0])).toBeGreaterThan(0.01);
  });

  it('linear network on a linear target: the closed-form GD map, with a trained second layer and weight decay', () => {
    // f = a^T W x + b, y = z1: L = (1/2) E (a^T W x + b - z1)^2 = (1/2)(|W^T a - e|^2 + b^2)
    const target = getMultiIndexTarget('linear');
    const init: PhaseOnePoint = { M: [[0.2], [0.1]], Q: [[0.5, 0], [0, 0.3]], a: [0.7, -0.3], b: 0.4 };
    const eta = 0.1;
    const lambda = 0.05;
    const pop = populationPhaseOne(target, 0, getActivation('linear'), { name: 'square' }, init, { eta, maxSteps: 3, record: 100, trainA: true, bias: true, weightDecay: lambda, plateauTolerance: 1e-9, gradientDrop: 1e-12 });
    // closed form in the basis (e, u1, u2): W rows w_j = (M_j, N_j)
    let W: Mat = [
      [0.2, Math.sqrt(0.5), 0],
      [0.1, 0, Math.sqrt(0.3)],
    ];
    let a = [0.7, -0.3];
    let b = 0.4;
    for (let t = 1; t <= 3; t++) {
      const r = [0, 1, 2].map((i) => a[0] * W[0][i] + a[1] * W[1][i] - (i === 0 ? 1 : 0)); // W^T a - e
      const gW = W.map((w, j) => w.map((v, i) => a[j] * r[i] + lambda * v));
      const ga = W.map((w, j) => w.reduce((s, v, i) => s + v * r[i], 0) + lambda * a[j]);
      const gb = b;
      W = W.map((w, j) => w.map((v, i) => v - eta * gW[j][i]));
      a = a.map((v, j) => v - eta * ga[j]);
      b -= eta * gb;
      const s = pop.trajectory.find((x) => x.step === t)!;
      for (let j = 0; j < 2; j++) {
        expect(s.M[j][0]).toBeCloseTo(W[j][0], 10);
        expect(s.a[j]).toBeCloseTo(a[j], 10);
        for (let l = 0; l < 2; l++) expect(s.Q[j][l]).toBeCloseTo(W[j][1] * W[l][1] + W[j][2] * W[l][2], 10);
      }
      expect(s.b).toBeCloseTo(b, 10);
    }
  });

  it('phase retrieval: M stays 0 (E[z | y] = 0), the norm moves, and the end of phase 1 obeys the criterion', () => {
    const target = getMultiIndexTarget('phase-retrieval');
    const pop = populationPhaseOne(target, 0, getActivation('quadratic'), { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1), { eta: 0.2, maxSteps: 500, record: 500 });
    expect(pop.detected).toBe(true);
    expect(Math.abs(pop.point.M[0][0])).toBeLessThan(1e-12);
    expect(pop.singularValuesM[0]).toBeLessThan(1e-12);
    expect(Math.abs(pop.point.Q[0][0] - 1)).toBeGreaterThan(0.3);
    // the criterion (run.ts): first t >= 8 with a flat log-gradient over the last doubling or a 1% drop
    const g = (t: number) => pop.trajectory.find((x) => x.step === t)!.gradNorm;
    const fires = (t: number) => t >= 8 && (Math.abs(Math.log(g(t)) - Math.log(g(Math.floor(t / 2)))) / Math.LN2 <= 0.1 || g(t) <= 0.01 * g(0));
    expect(fires(pop.step)).toBe(true);
    for (let t = 0; t < pop.step; t++) expect(fires(t)).toBe(false);
  });

  it('a network that drifts forever is reported as not detected, never silently', () => {
    const target = getMultiIndexTarget('phase-retrieval');
    const pop = populationPhaseOne(target, 0, getActivation('quadratic'), { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1), { eta: 1e-4, maxSteps: 5, record: 10 });
    expect(pop.detected).toBe(false);
    expect(pop.criterion).toBeNull();
  });

  it('rejects bad arguments with the parameter named', () => {
    const target = getMultiIndexTarget('phase-retrieval');
    const act = getActivation('tanh');
    expect(() => populationPhaseOne(target, 0, act, { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1), { eta: -1 })).toThrow(/eta must be/);
    expect(() => populationPhaseOne(target, 0, act, { name: 'logcosh' }, initialPhaseOnePoint(1, 2, 1), { eta: 1 })).toThrow(/init must have M/);
  });
});

describe('thresholds(config, { phase1: "population" })', () => {
  it('computes delta_NN at the population phase-1 point and reports it', () => {
    const cfg = resolveDynamicsConfig({ d: 500, delta: 4, width: 1, student: { activation: 'quadratic' }, training: { loss: 'logcosh', eta: 0.2, steps: 1000 } });
    const r = thresholds(cfg, { phase1: 'population', preprocessings: [], relTol: 1e-3 });
    expect(r.phase1Population?.detected).toBe(true);
    expect(r.deltaNNDetail?.phase1Source).toMatch(/population phase-1 point/);
    // the phase-1 point is the population run's end, not the initial point
    expect(Math.abs(r.deltaNNDetail!.phase1.Q[0][0] - 1)).toBeGreaterThan(0.3);
    expect(r.deltaNN).not.toBeNull();
    // delta_NN >= delta_alg = 1/2 (multi-index.md section 5)
    expect(r.deltaNN!).toBeGreaterThan(0.5);
    expect(r.converged).toBe(true);
  }, 120000);
});

describe('featlearn threshold --phase1', () => {
  it('population: the JSON reports the population run and its point; initial = the default; a bad file is an error naming it', async () => {
    const args = ['--json', 'threshold', '--set', 'student.activation=quadratic', '--set', 'training.loss=logcosh', '--set', 'training.eta=0.2', '--set', 'delta=4', '--preprocessing', 'optimal'];
    const pop = await capture([...args, '--phase1', 'population']);
    expect(pop.code).toBe(0);
    const r = JSON.parse(pop.out);
    expect(r.phase1Population.detected).toBe(true);
    expect(r.phase1Population.step).toBeGreaterThanOrEqual(8);
    expect(r.deltaNNDetail.phase1Source).toMatch(/population/);
    expect(Math.abs(r.deltaNNDetail.phase1.Q[0][0] - 1)).toBeGreaterThan(0.3);
    const ini = JSON.parse((await capture([...args, '--phase1', 'initial'])).out);
    const def = JSON.parse((await capture(args)).out);
    expect(ini.deltaNNDetail.phase1.Q).toEqual([[1]]);
    expect(def.deltaNN).toBe(ini.deltaNN);
    expect(ini.phase1Population).toBeUndefined();
    // the two phase-1 points give different delta_NN (the point matters)
    expect(r.deltaNN).not.toBe(ini.deltaNN);
    const bad = await capture([...args, '--phase1', '/nonexistent/p1.json']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--phase1: cannot read JSON from \/nonexistent\/p1.json/);
  }, 180000);
});
