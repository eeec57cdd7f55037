// The `theory` suite of bench/run.mjs (issue 4, "Performance"): theory curves timed side by side against
// bench/ref/srf.py, an independent vectorised numpy implementation of the same equations (its own fixed
// quadratures and a discretised Marchenko–Pastur law), run as a `serve` child. Per case: warm-up curves
// (10 for featlearn: V8's JIT; one for numpy: imports), then R repeats alternating featlearn and numpy (same machine
// load); medians. Each curve starts cold: the sRF map, the kappa tables (memo emptied) and the spectrum are
// rebuilt every time, and the 50 points are warm-started one from the previous (srfCurve), on both sides; the
// sRF case also times the same call with the kappa tables memoised ("warm", reported separately).
// Agreement: the largest relative difference of the 50 predicted risks (target 1e-8).
//
// Cases are data: { id, label, target (featlearn / numpy time ratio), maxSeconds, featlearn(mods) -> { run, values },
// python (the params sent to the reference) }. The Gaussian-equivalent curve of part B joins CASES here.
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { child, median } from './child.mjs';

/** featlearn warm-up runs: the first few curves run partly in V8's interpreter (measured 230, 120, 50, then
 * ~10-15 ms for the 50-point curve); numpy needs one (imports). */
const WARMUP = 10;

const SRF_ALPHAS = Array.from({ length: 50 }, (_, i) => 0.2 + (2.8 * i) / 49);

function srfCurveCase(quick) {
  const alphas = quick ? SRF_ALPHAS.filter((_, i) => i % 5 === 0) : SRF_ALPHAS;
  const params = { student: 'tanh', teacher: 'tanh', eta: 1, alpha0: 0.5, lambda: 0.01, noise: 0, psi: 1, alphas };
  return {
    id: 'srf-curve',
    label: `sRF learning curve (${alphas.length} points)`,
    description:
      `tanh student and teacher, alpha0 = 0.5, eta_tilde = 1, lambda = 0.01, N = d, mp spectrum, alpha in [0.2, 3]: ` +
      '`srfCurve(config, "alpha", alphas)` (sRF map, kappa tables, exact MP sums, reduced solver) against srf.py `curve` (the same steps in numpy)',
    target: 0.1,
    maxSeconds: 0.1,
    python: params,
    featlearn({ cfg, theory, tables }) {
      const config = cfg.resolveExperimentConfig({
        d: 1000,
        alpha0: params.alpha0,
        student: { activation: params.student },
        teacher: { kind: 'single-index', link: params.teacher, noise: params.noise },
        step: { eta: params.eta, scaling: 'sqrtN' },
        ridge: { lambda: params.lambda },
      });
      return {
        // cold: the memo of the kappa tables (src/theory/hermite-tables.ts) emptied first, so every repeat
        // recomputes map, tables, spectrum and all 50 solves, as numpy does
        run: () => {
          tables.clearConditionalTableCache();
          return theory.srfCurve(config, 'alpha', alphas);
        },
        // warm: what a caller asking again for the same model gets (the tables come from the memo)
        warmRun: () => theory.srfCurve(config, 'alpha', alphas),
        values: (out) => out.map((r) => (r.ok ? r.risk : NaN)),
      };
    },
  };
}

function geCurveCase(quick) {
  const alphas = quick ? SRF_ALPHAS.filter((_, i) => i % 5 === 0) : SRF_ALPHAS;
  const params = { student: 'tanh', teacher: 'tanh', eta: 1, alpha0: 2, lambda: 0.01, noise: 0, psi: 1, d: 1000, init_a: 'constant', alphas };
  return {
    id: 'ge-curve',
    label: `Gaussian-equivalent learning curve (${alphas.length} points)`,
    description:
      'tanh student and teacher, small step eta = 1 (scaling "one"), alpha0 = 2, lambda = 0.01, N = d = 1000, asymptotic spectrum (MP + spike), alpha in [0.2, 3]: ' +
      '`theoryCurve(config, "alpha", alphas)` (moments, anatomy, kappa root-find and 5 x 5 Woodbury per point) against ge.py `curve` (scipy moments, vectorised bisection, batched solves)',
    ref: 'ge.py',
    target: 0.5,
    maxSeconds: 0.1,
    python: params,
    featlearn({ cfg, ge }) {
      const config = cfg.resolveExperimentConfig({
        d: params.d,
        psi: params.psi,
        alpha0: params.alpha0,
        student: { activation: params.student },
        teacher: { kind: 'single-index', link: params.teacher, noise: params.noise },
        step: { eta: params.eta, scaling: 'one' },
        ridge: { lambda: params.lambda },
      });
      return {
        run: () => ge.theoryCurve(config, 'alpha', alphas, { floors: false, anatomy: false }),
        values: (out) => out.map((r) => (r.ok ? r.risk : NaN)),
      };
    },
  };
}


function maxRelDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return a.length === b.length ? m : Infinity;
}

/**
 * Runs the suite; returns the markdown lines of its RESULTS.md section.
 * ctx: { root, quick, threads, repeats, numpyEnv (environment of the numpy child), log }.
 */
export async function runTheorySuite(ctx) {
  const { root, quick, numpyEnv, log } = ctx;
  const repeats = ctx.repeats ?? 7;
  const dist = (p) => pathToFileURL(join(root, 'dist', 'src', p)).href;
  const mods = {
    cfg: await import(dist('models/experiment-config.js')),
    theory: await import(dist('theory/srf/index.js')),
    ge: await import(dist('theory/index.js')),
    tables: await import(dist('theory/hermite-tables.js')),
  };
  const cases = [srfCurveCase(quick), geCurveCase(quick)];
  const children = new Map();
  const refChild = (ref) => {
    if (!children.has(ref)) children.set(ref, child('python3', [join(root, 'bench', 'ref', ref), 'serve'], numpyEnv, root, `bench/ref/${ref}`));
    return children.get(ref);
  };
  const info = await refChild('srf.py').request({ cmd: 'info' });
  const loadStart = loadavg()[0];
  const rows = [];
  for (const c of cases) {
    log(`bench: theory ${c.id} ...`);
    const np = refChild(c.ref ?? 'srf.py');
    const fl = c.featlearn(mods);
    for (let w = 0; w < WARMUP; w++) fl.run(); // warm-up: V8 optimises the hot loops after a few runs
    await np.request({ cmd: 'run', params: c.python });
    const flTimes = [];
    const warmTimes = [];
    const npTimes = [];
    let flOut;
    let npOut;
    if (fl.warmRun) for (let w = 0; w < WARMUP; w++) fl.warmRun();
    for (let r = 0; r < repeats; r++) {
      const t0 = process.hrtime.bigint();
      flOut = fl.run();
      flTimes.push(Number(process.hrtime.bigint() - t0) / 1e9);
      npOut = await np.request({ cmd: 'run', params: c.python });
      npTimes.push(npOut.time);
      if (fl.warmRun) {
        // the warm run also follows a numpy run, so both featlearn timings see the same conditions
        const t1 = process.hrtime.bigint();
        const w = fl.warmRun();
        warmTimes.push(Number(process.hrtime.bigint() - t1) / 1e9);
        if (maxRelDiff(fl.values(w), fl.values(flOut)) !== 0) throw new Error(`${c.id}: the warm run differs from the cold one`);
        npTimes.push((await np.request({ cmd: 'run', params: c.python })).time);
      }
    }
    const f = median(flTimes);
    const n = median(npTimes);
    const diff = maxRelDiff(fl.values(flOut), npOut.risk);
    const label = fl.warmRun ? `${c.label}, cold` : c.label;
    rows.push({ ...c, label, f, n, ratio: f / n, diff });
    log(` featlearn ${(f * 1e3).toFixed(2)} ms${fl.warmRun ? ' (cold)' : ''}, numpy ${(n * 1e3).toFixed(1)} ms, ratio ${(f / n).toFixed(3)}, max relative difference ${diff.toExponential(2)}\n`);
    if (fl.warmRun) {
      const fw = median(warmTimes);
      rows.push({ ...c, label: `${c.label}, warm (memoised tables)`, f: fw, n, ratio: fw / n, diff, warm: true });
      log(` featlearn warm ${(fw * 1e3).toFixed(2)} ms, ratio ${(fw / n).toFixed(3)}\n`);
    }
  }
  for (const np of children.values()) np.close();
  const loadEnd = loadavg()[0];
  return [
    `## theory: predicted curves${quick ? ' (quick smoke run, fewer points)' : ''}`,
    '',
    `Each curve is computed from scratch per repeat (map, tables, spectrum; the "warm" row reuses memoised tables), ${repeats} repeats after warm-up (featlearn ${WARMUP} runs for V8's JIT, numpy one), featlearn and numpy alternating; medians. ` +
      `numpy references: bench/ref/srf.py and bench/ref/ge.py (Python ${info.python}, numpy ${info.numpy}, scipy ${info.scipy}). Single-threaded on both sides. ` +
      `System load average (1 min) at start / end: ${loadStart.toFixed(2)} / ${loadEnd.toFixed(2)} on ${availableParallelism()} cores${Math.max(loadStart, loadEnd) > 1 ? ' (other processes were running: absolute times are inflated and noisy; the ratios less so, both sides run alternately)' : ''}.`,
    '',
    '| case | featlearn (ms) | numpy (ms) | ratio | target | met | featlearn <= max time | max relative difference of the risks | <= 1e-8 |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${(r.f * 1e3).toFixed(2)} | ${(r.n * 1e3).toFixed(1)} | ${r.ratio.toFixed(3)} | ${r.warm ? '(not judged)' : `<= ${r.target}`} | ${r.warm ? '-' : r.ratio <= r.target ? 'yes' : 'NO'} | ${r.f <= r.maxSeconds ? 'yes' : 'NO'} (${r.maxSeconds * 1e3} ms) | ${r.diff.toExponential(2)} | ${r.diff <= 1e-8 ? 'yes' : 'NO'} |`,
    ),
    '',
    ...rows.filter((r) => !r.warm).map((r) => `- ${r.label}: ${r.description}.`),
    ...(rows.some((r) => r.warm)
      ? [
          '- cold / warm: "cold" empties the memo of the kappa tables (`clearConditionalTableCache()`) before every curve, so map, tables, spectrum and the 50 solves are all recomputed, as the numpy reference does on every call — the fair comparison, and the one the target is judged on. ' +
            '"warm" is the same call repeated without emptying it: the tables (a function of the activations and the map only) come from the memo, as for any caller asking again for the same model (a redrawn curve, optimalLambda per point); numpy recomputes them every time, so the warm ratio is not like for like and is not judged.',
          '- Is srf.py a fair baseline? It is vectorised over the kappa nodes, the z rule and the spectrum; its time is dominated by per-call numpy overhead on small arrays in the sequential Newton solves (~270 evaluations of T, ~260 2 x 2 `np.linalg.solve` calls per curve), not by arithmetic. A variant with featlearn\'s closed-form Marchenko–Pastur sums instead of the 4000-node discretised law and a z rule trimmed to |z| <= 10 (800 instead of 1280 points) was only ~15% faster (measured under load, same risks to 4e-13), so the reference is not a strawman; it is left unchanged.',
        ]
      : []),
    '',
  ];
}
