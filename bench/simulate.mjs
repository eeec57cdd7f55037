// The `simulate` suite of bench/run.mjs (issue 3, "Performance"): Cui et al.'s protocol (tanh student and
// teacher, sphere W0, constant a0, one large step eta_tilde = 1, ridge lambda = 0.01, Monte Carlo risk,
// no baselines, no anatomy, one seed) timed side by side against bench/ref/onestep.py, a numpy
// implementation of the same algorithm. Each side runs in its own child process (so that its peak resident
// memory is its own): bench/simulate-child.mjs (compiled featlearn) and `onestep.py serve`. Per precision:
// one warm-up run per side, then R repeats alternating featlearn and numpy (same machine load); medians.
// Memory: peak RSS minus the RSS before the first run, against the matrices that must be alive at the
// peak (W0, W1: d x N; the features Phi: n x N; the float64 Gram: N x N).
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { child, median } from './child.mjs';

const TARGETS = { float64: 0.9, float32: 0.6 };
const MEMORY_TARGET = 1.5;

export function simulateSizes(quick) {
  return quick ? { d: 400, width: 400, n0: 200, n: 1200, nTest: 1000 } : { d: 2000, width: 2000, n0: 1000, n: 6000, nTest: 5000 };
}

function benchConfig(sizes, precision) {
  return {
    ...sizes,
    student: { activation: 'tanh' },
    teacher: { kind: 'single-index', link: 'tanh', noise: 0 },
    init: { W: 'sphere', a: 'constant' },
    step: { eta: 1, scaling: 'sqrtN', steps: 1 },
    ridge: { lambda: 0.01, normalization: 'sum', intercept: false },
    risk: { method: 'monte-carlo' },
    report: { baselines: false, anatomy: false },
    precision,
  };
}

const mib = (b) => (b / 2 ** 20).toFixed(0);

/**
 * Runs the suite; returns the markdown lines of its RESULTS.md section.
 * ctx: { root, quick, threads, repeats, numpyEnv (environment of the numpy child), log }.
 */
export async function runSimulateSuite(ctx) {
  const { root, quick, threads, numpyEnv, log } = ctx;
  const repeats = ctx.repeats ?? 3;
  const sizes = simulateSizes(quick);
  const loadBefore = loadavg()[0];
  const rows = [];
  for (const precision of ['float64', 'float32']) {
    const config = benchConfig(sizes, precision);
    const fl = child(process.execPath, [join(root, 'bench', 'simulate-child.mjs'), JSON.stringify({ config, threads })], process.env, root, 'bench/simulate-child.mjs');
    const pyArgs = [join(root, 'bench', 'ref', 'onestep.py'), 'serve', '--d', sizes.d, '--width', sizes.width, '--n0', sizes.n0, '--n', sizes.n, '--ntest', sizes.nTest, '--precision', precision].map(String);
    const np = child('python3', pyArgs, numpyEnv, root, 'bench/ref/onestep.py');
    log(`bench: simulate ${precision} ...`);
    const flRuns = [];
    const npRuns = [];
    await fl.request({ cmd: 'run', seed: 100 });
    await np.request({ cmd: 'run', seed: 100 });
    for (let r = 0; r < repeats; r++) {
      flRuns.push(await fl.request({ cmd: 'run', seed: r }));
      npRuns.push(await np.request({ cmd: 'run', seed: r }));
    }
    const flMem = await fl.request({ cmd: 'mem' });
    const npMem = await np.request({ cmd: 'mem' });
    fl.close();
    np.close();
    const e = precision === 'float32' ? 4 : 8;
    const essential = 2 * sizes.d * sizes.width * e + sizes.n * sizes.width * e + sizes.width * sizes.width * 8;
    const f = median(flRuns.map((x) => x.time));
    const n = median(npRuns.map((x) => x.time));
    const flAlloc = flMem.peakRssBytes - flMem.baselineRssBytes;
    const npAlloc = npMem.peakRssBytes - npMem.baselineRssBytes;
    rows.push({
      precision,
      f,
      n,
      ratio: f / n,
      target: TARGETS[precision],
      flAlloc,
      npAlloc,
      essential,
      flRisk: median(flRuns.map((x) => x.risk)),
      npRisk: median(npRuns.map((x) => x.risk)),
      estimate: flRuns[0].estimate,
    });
    log(` featlearn ${f.toFixed(2)} s, numpy ${n.toFixed(2)} s, ratio ${(f / n).toFixed(2)}; memory featlearn ${mib(flAlloc)} MiB, numpy ${mib(npAlloc)} MiB (essential ${mib(essential)} MiB)\n`);
  }
  const s = sizes;
  const loadAfter = loadavg()[0];
  return [
    `## simulate: the one-step protocol${quick ? ' (quick smoke run, small sizes)' : ''}`,
    '',
    `Cui et al.'s protocol, tanh student and teacher, d = ${s.d}, N = ${s.width}, n0 = ${s.n0}, n = ${s.n}, nTest = ${s.nTest}, eta_tilde = 1 ("sqrtN"), lambda = 0.01, ` +
      '`risk.method = monte-carlo`, `report.baselines = false`, `report.anatomy = false`, one seed per run. ' +
      `featlearn: \`simulate(config, { seeds: 1, workers: 0 })\` from dist/ in its own process (bench/simulate-child.mjs); numpy: bench/ref/onestep.py (the same algorithm: fused tanh/tanh' pass, ?syrk Gram, Cholesky, chunked inputs). ` +
      `Threads: ${threads} on both sides. Times are medians of ${repeats} runs (after one warm-up run per side), featlearn and numpy alternating; memory is the peak RSS of each process minus its RSS before the first run.`,
    '',
    '| precision | featlearn (s) | numpy (s) | ratio | target | met | featlearn peak alloc (MiB) | numpy peak alloc (MiB) | essential matrices (MiB) | featlearn / essential | target | met | risk featlearn / numpy (different draws) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.precision} | ${r.f.toFixed(2)} | ${r.n.toFixed(2)} | ${r.ratio.toFixed(2)} | <= ${r.target} | ${r.ratio <= r.target ? 'yes' : 'NO'} | ${mib(r.flAlloc)} | ${mib(r.npAlloc)} | ${mib(r.essential)} | ${(r.flAlloc / r.essential).toFixed(2)} | <= ${MEMORY_TARGET} | ${r.flAlloc / r.essential <= MEMORY_TARGET ? 'yes' : 'NO'} | ${r.flRisk.toFixed(4)} / ${r.npRisk.toFixed(4)} |`,
    ),
    '',
    '"essential matrices": W0 and W1 (d x N each), the readout features Phi (n x N) and one float64 N x N Gram matrix, the matrices that must be alive together at the readout. ' +
      `featlearn's own estimate of its peak (src/simulate/memory.ts, stage "${rows[0].estimate.peakStage}"): ${rows.map((r) => `${r.precision} ${mib(r.estimate.peakBytes)} MiB`).join(', ')}.`,
    '',
    `System load (1-minute average) ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the suite on ${cpus().length} logical cores${loadBefore > cpus().length ? ': the machine was oversubscribed by other jobs, so the times are noisy' : ''}.`,
    '',
  ];
}
