/**
 * The spike of the first gradient against one-step.md section 2 (Ba et al. 2022, arXiv 2205.01445),
 * formula written here independently of any theory module: with u = X0^T (y0 - f0) / n0 and
 * M = E (y - f0)^2,
 *   <u, beta*> -> mu1*,   |u|^2 -> mu1*^2 + M / alpha0,   cos^2(u, beta*) -> gamma^2 = mu1*^2 / (mu1*^2 + M / alpha0).
 * relu student and relu teacher (mu0* = 1/sqrt(2 pi) != 0), label noise Delta = 0.1, d = 2000, N = 1000,
 * alpha0 = 1:
 * - sphere W0, constant a0: f0 -> mu0, so M = E sigma*^2 + Delta - 2 mu0 mu0* + mu0^2 = 1/2 + 0.1 - 1/(2 pi);
 * - gaussian W0, gaussian a0: f0 -> 0, so M = E sigma*^2 + Delta = 0.6.
 * Tolerance: 4 standard errors over the seeds (per-seed fluctuations are O(1/sqrt(n0)), a few % on cos^2)
 * plus 1% for O(1/d) finite-size terms (Var f0 = O(1/N), E|u|^2 - its limit = O(1/n0)).
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { getActivation } from '../../src/activations/index.js';
import { rootKey, splitKeys } from '../../src/random/index.js';
import { drawA0, drawW0 } from '../../src/models/init.js';
import { drawSingleIndexTeacher } from '../../src/models/teacher.js';
import { runSteps } from '../../src/simulate/protocol.js';

const backend = getBackend();
const d = 2000;
const N = 1000;
const n0 = 2000;
const alpha0 = n0 / d;
const Delta = 0.1;
const mu0 = 1 / Math.sqrt(2 * Math.PI); // relu, student and teacher
const mu1 = 0.5;
const m2 = 0.5;
const SEEDS = [0, 1, 2, 3, 4, 5];

function meanSem(xs: number[]): [number, number] {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  return [m, Math.sqrt(v / xs.length)];
}

describe('spike of the first gradient (one-step.md section 2), d = 2000', () => {
  for (const [initW, initA, M] of [
    ['sphere', 'constant', m2 + Delta - 2 * mu0 * mu0 + mu0 * mu0],
    ['gaussian', 'gaussian', m2 + Delta],
  ] as const) {
    it(`init W ${initW}, a ${initA}: <u, beta*>, |u|^2 and cos^2(u, beta*) against mu1*, mu1*^2 + M/alpha0, gamma^2`, () => {
      const relu = getActivation('relu');
      const overlap: number[] = [];
      const norm2: number[] = [];
      const cos2: number[] = [];
      for (const seed of SEEDS) {
        const k = splitKeys(rootKey(seed), ['teacher', 'W0', 'a0', 'step']);
        const teacher = drawSingleIndexTeacher(k.teacher, d, relu, Delta);
        const W0 = drawW0(k.W0, d, N, initW);
        const a0 = drawA0(k.a0, N, initA);
        const { firstSpike } = runSteps({
          backend,
          activation: relu,
          teacher,
          W0,
          a0,
          n0,
          step: { eta: 1, scaling: 'sqrtN', steps: 1, batches: 'fresh' },
          key: k.step,
          keepFirstGradient: false,
        });
        const u = firstSpike!.u;
        let ub = 0;
        let uu = 0;
        for (let j = 0; j < d; j++) {
          ub += u[j] * teacher.betaStar[j];
          uu += u[j] * u[j];
        }
        overlap.push(ub);
        norm2.push(uu);
        cos2.push((ub * ub) / uu);
      }
      const gamma2 = mu1 ** 2 / (mu1 ** 2 + M / alpha0);
      for (const [xs, target] of [
        [overlap, mu1],
        [norm2, mu1 ** 2 + M / alpha0],
        [cos2, gamma2],
      ] as const) {
        const [m, sem] = meanSem([...xs]);
        expect(Math.abs(m - target)).toBeLessThan(4 * sem + 0.01 * target);
      }
      // The two inits predict different M: the check above separates them (gamma^2 = 0.362 vs 0.294).
      expect(gamma2).toBeGreaterThan(0.28);
    });
  }
});
