#!/usr/bin/env node
/**
 * Validation of the delta_NN reconstruction (docs/thresholds.md): the predicted bottom of the Hessian at
 * the initial point (phase retrieval, one tanh neuron, log-cosh loss, w ~ N(0, I/d), a = 1) against Lanczos
 * on simulated Hessians, for d in a list and several seeds, above (delta = 40) and below (delta = 8) the
 * predicted delta_NN ≈ 24.9.
 *
 * Usage: npm run build && node scripts/validate-thresholds.mjs [d,d,...] [seeds] [delta,delta,...]
 * (defaults 500,1000,2000 / 3 / 40,8; d = 4000 at delta = 40 needs n = 160000 x 4000 inputs, 5 GB in
 * float64). FEATLEARN_DIST overrides the compiled tree (default ../dist/src). Prints JSON lines.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.FEATLEARN_DIST ?? resolve(here, '../dist/src'));
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { resolveDynamicsConfig } = await load('models/dynamics-config.js');
const { getMultiIndexTarget } = await load('models/multi-index-teacher.js');
const { getActivation } = await load('activations/index.js');
const { setupDynamics, hessianSpectrum } = await load('simulate/dynamics/index.js');
const { hessianLaw, bottomPrediction, initialPhaseOnePoint } = await load('theory/multi-index/index.js');

const ds = (process.argv[2] ?? '500,1000,2000').split(',').map(Number);
const seeds = Number(process.argv[3] ?? 3);
const deltas = (process.argv[4] ?? '40,8').split(',').map(Number);

const law = hessianLaw(getMultiIndexTarget('phase-retrieval'), 0, getActivation('tanh'), { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1));
for (const delta of deltas) {
  const p = bottomPrediction(law, delta);
  console.log(JSON.stringify({ kind: 'theory', delta, bulkEdge: p.bulkEdge, outlier: p.outlier, bottom: p.bottomEigenvalue, overlap2: p.overlap2 }));
  for (const d of ds) {
    for (let seed = 1; seed <= seeds; seed++) {
      const t0 = performance.now();
      const cfg = resolveDynamicsConfig({ d, delta, width: 1, student: { activation: 'tanh' }, teacher: { kind: 'multi-index', link: 'phase-retrieval' }, training: { loss: 'logcosh' }, init: { scale: 1 }, seed });
      const setup = setupDynamics(cfg);
      const h = hessianSpectrum(setup, setup.theta0, { k: 6, which: 'smallest', dense: false, tol: 1e-8, maxIterations: 800, seed, unlearned: null });
      const eig = h.smallest.eigen;
      const spike = eig.reduce((a, b) => (b.thetaStar > a.thetaStar ? b : a));
      console.log(JSON.stringify({ kind: 'simulation', delta, d, seed, ok: h.smallest.ok, spike: spike.value, spikeOverlap2: spike.thetaStar, eigen: eig.map((e) => [e.value, e.thetaStar]), seconds: (performance.now() - t0) / 1000 }));
    }
  }
}
