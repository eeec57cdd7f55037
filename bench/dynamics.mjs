// The `dynamics` suite of bench/run.mjs (issue 5, "Performance"):
//  (1) 1000 full-batch GD steps, d = 2000, n = 8000, m = 4, tanh network (a = 1/m frozen, no bias, square
//      loss), phase-retrieval target: featlearn's runDynamicsFrom (native fused gradient pass, per-step
//      overlaps and gradient norm, 2 recordings, no Hessian) against bench/ref/gd.py (numpy: X @ W.T,
//      tanh, G.T @ X, the same per-step overlaps). Target ratio <= 0.8.
//  (2) the 20 smallest Hessian eigenvalues at the initial point, d = 4000, n = 8000, m = 4: featlearn's
//      lanczos (full reorthogonalisation) on its exact HVP (native fused pass) against scipy.sparse.linalg.eigsh
//      (ARPACK, which='SA') on the same HVP written in numpy. Target ratio <= 1.0.
// Both sides run on the SAME data (featlearn draws it and writes raw float64 files that gd.py loads), so
// final losses and eigenvalues are compared number for number. featlearn runs in this process (compiled
// dist/), numpy in a python3 child; one warm-up per side, then R repeats alternating; medians.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { child, median } from './child.mjs';

const TARGETS = { gd: 0.8, lanczos: 1.0 };

export function dynamicsSizes(quick) {
  return quick
    ? { gd: { d: 400, n: 1600, m: 4, steps: 100 }, lanczos: { d: 800, n: 1600, m: 4, k: 20 } }
    : { gd: { d: 2000, n: 8000, m: 4, steps: 1000 }, lanczos: { d: 4000, n: 8000, m: 4, k: 20 } };
}


function config(s, steps, eta) {
  return {
    d: s.d,
    n: s.n,
    width: s.m,
    student: { activation: 'tanh' },
    teacher: { kind: 'multi-index', link: 'phase-retrieval', k: 1, noise: 0 },
    init: { scale: 1, a: 'constant' },
    training: { steps, eta, secondLayer: 'frozen', bias: false, loss: 'square', record: 2 },
    test: { method: 'monte-carlo', samples: 2000 },
    hessian: { at: 'none' },
    seed: 0,
  };
}

function writeData(dir, setup) {
  const prefix = join(dir, 'data');
  const f64 = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(`${prefix}.X`, f64(setup.problem.X.data));
  writeFileSync(`${prefix}.y`, f64(setup.problem.y));
  writeFileSync(`${prefix}.theta`, f64(setup.ThetaT.data));
  writeFileSync(`${prefix}.W0`, f64(setup.theta0.subarray(0, setup.problem.m * setup.problem.X.cols)));
  return prefix;
}

/** ctx: { root, quick, threads, repeats, numpyEnv, log }; returns the markdown lines of the section. */
export async function runDynamicsSuite(ctx) {
  const { root, quick, threads, numpyEnv, log } = ctx;
  const repeats = ctx.repeats ?? 3;
  const imp = (p) => import(pathToFileURL(join(root, 'dist', 'src', p)).href);
  const { getBackend } = await imp('linalg/index.js');
  const { resolveDynamicsConfig } = await imp('models/dynamics-config.js');
  const { setupDynamics, runDynamicsFrom } = await imp('simulate/dynamics/run.js');
  const { hessianPoint, hessianVectorProduct, parameterCount } = await imp('simulate/dynamics/network.js');
  const { lanczos } = await imp('linalg/lanczos.js');
  const { rootKey } = await imp('random/index.js');
  const backend = getBackend();
  backend.setThreads(threads);
  const sizes = dynamicsSizes(quick);
  const dir = mkdtempSync(join(tmpdir(), 'featlearn-bench-dyn-'));
  const rows = [];
  const loadBefore = loadavg()[0];
  try {
    // (1) GD
    {
      const s = sizes.gd;
      const eta = 0.5;
      const cfg = resolveDynamicsConfig(config(s, s.steps, eta));
      const setup = setupDynamics(cfg, backend);
      const prefix = writeData(dir, setup);
      const np = child('python3', [join(root, 'bench', 'ref', 'gd.py'), 'serve', '--d', s.d, '--n', s.n, '--m', s.m, '--data', prefix].map(String), numpyEnv, root, 'bench/ref/gd.py');
      log(`bench: dynamics gd (d = ${s.d}, n = ${s.n}, m = ${s.m}, ${s.steps} steps) ...\n`);
      const fl = () => {
        const t0 = performance.now();
        const r = runDynamicsFrom(setup, cfg);
        return { time: (performance.now() - t0) / 1000, loss: r.final.trainLoss };
      };
      runDynamicsFrom(setup, { ...cfg, training: { ...cfg.training, steps: Math.min(10, s.steps) } }); // warm-up
      await np.request({ cmd: 'gd', steps: Math.min(10, s.steps), eta });
      const fr = [];
      const nr = [];
      for (let r = 0; r < repeats; r++) {
        fr.push(fl());
        nr.push(await np.request({ cmd: 'gd', steps: s.steps, eta }));
      }
      np.close();
      const f = median(fr.map((x) => x.time));
      const n = median(nr.map((x) => x.time));
      log(` featlearn ${f.toFixed(2)} s, numpy ${n.toFixed(2)} s, ratio ${(f / n).toFixed(2)}; final loss ${fr[0].loss} / ${nr[0].loss}\n`);
      rows.push({ name: `GD, ${s.steps} steps, d = ${s.d}, n = ${s.n}, m = ${s.m}`, f, n, target: TARGETS.gd, agree: `final train loss ${fr[0].loss.toPrecision(10)} / ${nr[0].loss.toPrecision(10)}` });
    }
    // (2) Lanczos
    {
      const s = sizes.lanczos;
      const cfg = resolveDynamicsConfig(config(s, 0, 0.5));
      const setup = setupDynamics(cfg, backend);
      const prefix = writeData(dir, setup);
      const np = child('python3', [join(root, 'bench', 'ref', 'gd.py'), 'serve', '--d', s.d, '--n', s.n, '--m', s.m, '--data', prefix].map(String), numpyEnv, root, 'bench/ref/gd.py');
      log(`bench: dynamics lanczos (d = ${s.d}, n = ${s.n}, m = ${s.m}, ${s.k} smallest) ...\n`);
      const P = parameterCount(setup.problem);
      const tol = 1e-8;
      const fl = () => {
        const t0 = performance.now();
        const pt = hessianPoint(setup.problem, setup.theta0);
        let count = 0;
        const res = lanczos(backend, P, (v, out) => (count++, hessianVectorProduct(setup.problem, pt, v, out)), { k: s.k, which: 'smallest', tol, maxIterations: 2000, key: rootKey(1) });
        if (!res.ok) throw new Error(`featlearn lanczos: ${res.message}`);
        return { time: (performance.now() - t0) / 1000, values: Array.from(res.values), matvecs: count };
      };
      fl();
      await np.request({ cmd: 'lanczos', k: s.k, tol, seed: 1 });
      const fr = [];
      const nr = [];
      for (let r = 0; r < repeats; r++) {
        fr.push(fl());
        nr.push(await np.request({ cmd: 'lanczos', k: s.k, tol, seed: r }));
      }
      np.close();
      const f = median(fr.map((x) => x.time));
      const n = median(nr.map((x) => x.time));
      const maxDiff = Math.max(...fr[0].values.map((v, i) => Math.abs(v - nr[0].values[i])));
      log(` featlearn ${f.toFixed(2)} s (${fr[0].matvecs} HVPs), numpy/scipy ${n.toFixed(2)} s (${nr[0].matvecs} HVPs), ratio ${(f / n).toFixed(2)}; max |eigenvalue difference| ${maxDiff.toExponential(2)}\n`);
      rows.push({ name: `Lanczos, ${s.k} smallest, d = ${s.d}, n = ${s.n}, m = ${s.m} (${P} parameters)`, f, n, target: TARGETS.lanczos, agree: `HVPs ${fr[0].matvecs} / ${nr[0].matvecs}; max abs eigenvalue difference ${maxDiff.toExponential(2)} (values ${fr[0].values[0].toPrecision(6)} .. ${fr[0].values[s.k - 1].toPrecision(6)})` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    `## dynamics: GD on multi-index targets and Hessian Lanczos${quick ? ' (quick smoke run, small sizes)' : ''}`,
    '',
    'Tanh network, a = 1/m frozen, no bias, square loss, phase-retrieval target, float64, the SAME data on both sides (drawn by featlearn, loaded by numpy). ' +
      'GD: featlearn `runDynamicsFrom` (the native fused gradient pass, native/src/network.cc: X streams from memory once per step, both cores on separate slabs of rows; per-step overlaps, gradient norm and phase-1/escape bookkeeping; 2 recordings, no Hessian) vs bench/ref/gd.py (numpy: `X @ W.T`, tanh, `G.T @ X`, the same per-step overlaps). ' +
      'Lanczos: the 20 smallest Hessian eigenvalues at the initial point, featlearn `lanczos` (full reorthogonalisation, relative residual 1e-8 of the norm estimate) on its exact HVP (the same native fused pass) vs scipy `eigsh(which="SA", tol=1e-8)` on the same HVP in numpy (two gemms per product). ' +
      `Threads: ${threads} on both sides. Medians of ${repeats} runs after one warm-up per side (GD: a 10-step warm-up), alternating. ` +
      `Machine load (1-min average) before / after: ${loadBefore.toFixed(1)} / ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores${loadBefore > availableParallelism() ? ' — the machine was shared with other work: absolute times are inflated and the ratios only indicative' : ''}.`,
    '',
    '| case | featlearn (s) | numpy/scipy (s) | ratio | target | met | agreement |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.f.toFixed(2)} | ${r.n.toFixed(2)} | ${(r.f / r.n).toFixed(2)} | <= ${r.target} | ${r.f / r.n <= r.target ? 'yes' : 'NO'} | ${r.agree} |`),
    '',
  ];
}
