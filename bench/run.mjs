#!/usr/bin/env node
// featlearn benchmarks against numpy/scipy.
//
//   npm run bench -- linalg [--quick] [--threads T] [--repeats R] [--skip-build] [--out FILE]
//   npm run bench -- simulate [--quick] [--threads T] [--repeats R] [--skip-build]   (bench/simulate.mjs)
//   npm run bench -- theory [--quick] [--repeats R] [--skip-build]                   (bench/theory.mjs)
//   npm run bench -- dynamics [--quick] [--threads T] [--repeats R] [--skip-build]   (bench/dynamics.mjs)
//
// linalg: runs, case by case and side by side, featlearn's native backend (in this process, from the compiled
// dist/src) and the numpy/scipy reference bench/ref/linalg.py (one python3 child serving JSON lines), with the same
// thread count T (--threads, else FEATLEARN_THREADS, else the number of cores): featlearn via setThreads(T),
// numpy via OPENBLAS_NUM_THREADS=T (and OMP_NUM_THREADS) in the child's environment. OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE, if set, are removed from the child's environment only (they would mis-tune numpy's
// newer OpenBLAS). Each side does a warm-up call, then R timed repeats alternating featlearn and numpy with a
// pause between them (idle OpenBLAS threads spin for ~0.1 s); the table reports medians.
// The full run writes its suite's section of bench/RESULTS.md (other suites' sections are kept); --quick
// (small sizes, a smoke test) writes bench/out/<suite>-quick.md.
// The script runs `npm run build` first (so dist/ is never stale); --skip-build skips it but refuses to run
// when a source file is newer than its compiled output.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = ['linalg', 'simulate', 'theory', 'dynamics'];

function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { suite: undefined, quick: false, threads: undefined, repeats: undefined, skipBuild: false, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--skip-build') opts.skipBuild = true;
    else if (a === '--out') {
      opts.out = argv[++i];
      if (!opts.out) fail('--out: expected a file path');
    }
    else if (a === '--threads' || a === '--repeats') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) fail(`${a}: expected a positive integer, got ${argv[i]}`);
      opts[a.slice(2)] = v;
    } else if (!a.startsWith('-') && opts.suite === undefined) opts.suite = a;
    else fail(`unknown argument ${a}; usage: npm run bench -- linalg [--quick] [--threads T] [--repeats R] [--skip-build] [--out FILE]`);
  }
  if (!opts.suite) fail(`which suite? one of: ${SUITES.join(', ')} (e.g. npm run bench -- linalg)`);
  if (!SUITES.includes(opts.suite)) fail(`unknown suite "${opts.suite}"; expected one of: ${SUITES.join(', ')}`);
  return opts;
}

function threadCount(opts) {
  if (opts.threads) return opts.threads;
  const env = process.env.FEATLEARN_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) fail(`FEATLEARN_THREADS: expected a positive integer, got "${env}"`);
    return n;
  }
  return availableParallelism();
}

function newestMtime(dir, ext) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (p.endsWith(ext)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt(skipBuild) {
  if (!skipBuild) {
    process.stderr.write('bench: npm run build ...\n');
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) fail(`npm run build failed, so dist/ may be stale; fix the errors (or use --skip-build at your own risk):\n${r.stdout}${r.stderr}`);
  } else {
    const dist = join(root, 'dist', 'src');
    if (!existsSync(dist)) fail('dist/src is missing: run npm run build');
    if (newestMtime(join(root, 'src'), '.ts') > newestMtime(dist, '.js')) fail('dist/ is older than src/: run npm run build (or drop --skip-build)');
  }
  if (!existsSync(join(root, 'native', 'build', 'Release', 'featlearn_native.node'))) fail('the native addon is not built: run npm run build:native');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** mulberry32: deterministic uniform(-1, 1) inputs for the featlearn side (timings do not depend on values). */
function uniformFill(arr, seed) {
  let a = seed >>> 0;
  for (let i = 0; i < arr.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    arr[i] = (2 * ((t ^ (t >>> 14)) >>> 0)) / 4294967296 - 1;
  }
  return arr;
}

/** Same sizes as bench/ref/linalg.py. */
function sizes(quick) {
  return quick
    ? { dgemm: 512, sgemm: 512, 'gemm-rect': [1024, 256, 512], eigh: 256, svd: [256, 512], cholesky: 512, tanh: [1024, 512], normal: [1500, 500] }
    : { dgemm: 2048, sgemm: 2048, 'gemm-rect': [4096, 1024, 2048], eigh: 2048, svd: [1024, 2048], cholesky: 2048, tanh: [4096, 2048], normal: [6000, 2000] };
}

// Each case: the label, the target ratio featlearn/numpy, the repeats, and a featlearn setup returning the timed call.
const CASES = [
  { id: 'dgemm', label: 'dgemm', target: 1.1, repeats: 5 },
  { id: 'sgemm', label: 'sgemm', target: 1.1, repeats: 5 },
  { id: 'gemm-rect', label: 'dgemm (rectangular)', target: 1.1, repeats: 5 },
  { id: 'eigh', label: 'eigh (dsyevd, vectors)', target: 1.15, repeats: 3 },
  { id: 'svd', label: 'thin SVD (dgesdd)', target: 1.15, repeats: 3 },
  { id: 'cholesky', label: 'Cholesky factor + solve', target: 1.15, repeats: 5 },
  { id: 'tanh', label: 'tanh elementwise', target: 1.0, repeats: 10 },
  { id: 'normal', label: 'standard normal fill', target: 1.0, repeats: 10 },
];

async function featlearnSetup(id, quick, mods) {
  const { la, random } = mods;
  const b = la.getBackendByName('native');
  const s = sizes(quick)[id];
  const mat = (rows, cols, seed, precision = 'float64') => {
    const m = la.zeros(rows, cols, precision);
    uniformFill(m.data, seed);
    return m;
  };
  switch (id) {
    case 'dgemm':
    case 'sgemm': {
      const p = id === 'dgemm' ? 'float64' : 'float32';
      const A = mat(s, s, 1, p), B = mat(s, s, 2, p), C = la.zeros(s, s, p);
      return { run: () => b.gemm(false, false, 1, A, B, 0, C), shape: `${s}x${s}x${s}` };
    }
    case 'gemm-rect': {
      const [m, n, k] = s;
      const A = mat(m, k, 3), B = mat(k, n, 4), C = la.zeros(m, n);
      return { run: () => b.gemm(false, false, 1, A, B, 0, C), shape: `C ${m}x${n} = A ${m}x${k} B ${k}x${n}` };
    }
    case 'eigh': {
      const R = mat(s, s, 5);
      const A = la.zeros(s, s);
      for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) A.data[i * s + j] = (R.data[i * s + j] + R.data[j * s + i]) / 2;
      return { run: () => b.eigh(A), shape: `${s}x${s}, vectors` };
    }
    case 'svd': {
      const [m, n] = s;
      const A = mat(m, n, 6);
      return { run: () => b.svd(A), shape: `${m}x${n}, thin` };
    }
    case 'cholesky': {
      const G = mat(s, s, 7);
      const A = la.zeros(s, s);
      b.gemm(false, true, 1 / s, G, G, 0, A);
      for (let i = 0; i < s; i++) A.data[i * s + i] += 1;
      const rhs = mat(s, 1, 8);
      return { run: () => b.choleskySolve(b.cholesky(A), rhs), shape: `${s}x${s}, 1 rhs` };
    }
    case 'tanh': {
      const [m, n] = s;
      const X = mat(m, n, 9), Y = la.zeros(m, n);
      for (let i = 0; i < X.data.length; i++) X.data[i] *= 2; // spread like a standard normal's bulk
      return { run: () => b.elementwise({ kind: 'tanh' }, 'value', X.data, Y.data, null), shape: `${m}x${n} float64` };
    }
    case 'normal': {
      const [m, n] = s;
      if (!random || typeof random.fillNormal !== 'function' || typeof random.rootKey !== 'function') return { unavailable: random?.reason ?? 'fillNormal/rootKey not exported by dist/src/random/index.js' };
      const out = new Float64Array(m * n);
      return { run: () => random.fillNormal(random.rootKey(12345), out), shape: `${m}x${n} float64` };
    }
    default:
      throw new Error(`unknown case ${id}`);
  }
}

function numpyEnv(threads) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const removed = [];
  for (const k of ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']) {
    if (env[k] !== undefined) {
      removed.push(`${k}=${env[k]}`);
      delete env[k];
    }
  }
  return { env, removed };
}

/** The numpy/scipy side: one python3 child (bench/ref/linalg.py serve) answering JSON-line requests. */
function startPython(env) {
  const child = spawn('python3', [join(root, 'bench', 'ref', 'linalg.py'), 'serve'], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  let exited;
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(line));
  const failAll = (err) => {
    exited = err;
    for (const w of waiting.splice(0)) w.reject(err);
  };
  child.on('error', (e) => failAll(new Error(`cannot run python3: ${e.message}`)));
  child.on('exit', (code) => failAll(new Error(`bench/ref/linalg.py exited (code ${code}); see its error above`)));
  return {
    async request(obj) {
      if (exited) throw exited;
      const reply = new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      child.stdin.write(`${JSON.stringify(obj)}\n`);
      const r = JSON.parse(await reply);
      if (r.error) throw new Error(`bench/ref/linalg.py: ${r.error}`);
      return r;
    },
    close() {
      child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    },
  };
}

/**
 * Pause between the two sides: after a call, OpenBLAS's worker threads keep spinning for a while (up to
 * 2^OPENBLAS_THREAD_TIMEOUT cycles, ~0.1 s by default) before they sleep; without a pause they would steal
 * the cores from the other side's next call.
 */
const SETTLE_MS = 300;
function settle() {
  return sleep(SETTLE_MS);
}

function timeOnce(run) {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function fmtMs(t) {
  return t === undefined ? 'n/a' : (t * 1e3).toFixed(t < 0.1 ? 2 : 1);
}

/**
 * Writes `lines` as the section of `suite` in the results file: the text between the markers
 * <!-- suite:NAME --> and <!-- /suite:NAME --> is replaced (appended when absent). A file without markers
 * is the linalg table of an earlier version and becomes the linalg section.
 */
function writeSection(path, suite, lines) {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (text && !text.includes('<!-- suite:')) text = `<!-- suite:linalg -->\n${text.trimEnd()}\n<!-- /suite:linalg -->\n`;
  const block = `<!-- suite:${suite} -->\n${lines.join('\n').trimEnd()}\n<!-- /suite:${suite} -->\n`;
  const re = new RegExp(`<!-- suite:${suite} -->[\\s\\S]*?<!-- /suite:${suite} -->\\n?`);
  text = re.test(text) ? text.replace(re, block) : `${text}${text && !text.endsWith('\n\n') ? '\n' : ''}${block}`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function outputPath(opts) {
  if (opts.out) return resolve(process.cwd(), opts.out);
  return opts.quick ? join(root, 'bench', 'out', `${opts.suite}-quick.md`) : join(root, 'bench', 'RESULTS.md');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const threads = threadCount(opts);
  ensureBuilt(opts.skipBuild);
  if (opts.suite === 'simulate' || opts.suite === 'theory' || opts.suite === 'dynamics') {
    const runSuite =
      opts.suite === 'simulate'
        ? (await import('./simulate.mjs')).runSimulateSuite
        : opts.suite === 'theory'
          ? (await import('./theory.mjs')).runTheorySuite
          : (await import('./dynamics.mjs')).runDynamicsSuite;
    const lines = await runSuite({ root, quick: opts.quick, threads, repeats: opts.repeats, numpyEnv: numpyEnv(threads).env, log: (s) => process.stderr.write(s) });
    const outPath = outputPath(opts);
    writeSection(outPath, opts.suite, lines);
    process.stdout.write(`${lines.join('\n')}\nbench: wrote ${relative(root, outPath)}\n`);
    return;
  }
  const distUrl = (p) => pathToFileURL(join(root, 'dist', 'src', p)).href;
  const la = await import(distUrl('linalg/index.js'));
  let random;
  try {
    random = await import(distUrl('random/index.js'));
  } catch (e) {
    random = { reason: `dist/src/random/index.js does not load: ${e.message}` };
  }
  let backend;
  try {
    backend = la.getBackendByName('native');
  } catch (e) {
    fail(`the native backend is required for the benchmark: ${e.message}`);
  }
  backend.setThreads(threads);
  const fl = backend.info();
  const { loadNative } = await import(distUrl('native/load.js'));
  const load = loadNative();
  const ew = load.ok && typeof load.addon.elementwiseInfo === 'function' ? load.addon.elementwiseInfo() : { tanh: 'unknown' };
  const { env, removed } = numpyEnv(threads);
  const loadBefore = loadavg()[0];
  const py = startPython(env);
  const pyInfo = await py.request({ cmd: 'info' });

  // Per case: one warm-up call per side, then the repeats alternate featlearn and numpy calls, so that both
  // sides see the same machine load.
  const rows = [];
  for (const c of CASES) {
    const repeats = opts.repeats ?? c.repeats;
    process.stderr.write(`bench: ${c.id} ...`);
    const setup = await featlearnSetup(c.id, opts.quick, { la, random });
    const np = await py.request({ cmd: 'setup', case: c.id, quick: opts.quick, seed: 2024 });
    const note = setup.unavailable ? `featlearn side not available: ${setup.unavailable}` : '';
    const flTimes = [], npTimes = [];
    if (setup.run) setup.run();
    await settle();
    await py.request({ cmd: 'run' });
    for (let r = 0; r < repeats; r++) {
      await settle();
      if (setup.run) flTimes.push(timeOnce(setup.run));
      await settle();
      npTimes.push((await py.request({ cmd: 'run' })).time);
    }
    const f = setup.run ? median(flTimes) : undefined, n = median(npTimes);
    const ratio = f === undefined ? undefined : f / n;
    const shape = setup.shape ?? np.shape;
    rows.push({ ...c, repeats, shape, featlearn: f, numpy: n, ratio, met: ratio === undefined ? 'not available' : ratio <= c.target ? 'yes' : 'NO', note });
    process.stderr.write(` featlearn ${fmtMs(f)} ms, numpy ${fmtMs(n)} ms${ratio ? `, ratio ${ratio.toFixed(2)}` : ''}\n`);
  }
  py.close();
  const loadAfter = loadavg()[0];

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const nb = pyInfo.openblas.numpy, sb = pyInfo.openblas.scipy;
  const lines = [
    `# featlearn benchmark: ${opts.suite}${opts.quick ? ' (quick smoke run, small sizes)' : ''}`,
    '',
    `Generated by \`${command}\` (bench/run.mjs) on ${new Date().toISOString()}.`,
    'Times are medians of the repeats, in milliseconds, after one warm-up call per side; featlearn and numpy calls alternate repeat by repeat (same machine load), with a 0.3 s pause between them so that one library\'s idle spinning threads do not slow the other. ratio = featlearn / numpy (lower is better).',
    '',
    '| case | size | repeats | featlearn (ms) | numpy/scipy (ms) | ratio | target | met |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${r.shape} | ${r.repeats} | ${fmtMs(r.featlearn)} | ${fmtMs(r.numpy)} | ${r.ratio === undefined ? 'n/a' : r.ratio.toFixed(2)} | <= ${r.target.toFixed(2)} | ${r.met} |`),
    '',
    ...rows.filter((r) => r.note).map((r) => `- ${r.label}: ${r.note}`),
    '',
    '## What is compared',
    '',
    '| case | featlearn (native backend) | numpy/scipy |',
    '|---|---|---|',
    '| dgemm, sgemm, rectangular dgemm | `gemm(false, false, 1, A, B, 0, C)` (cblas_?gemm, row-major) | `np.matmul(A, B, out=C)` |',
    '| eigh | `eigh(A)` (dsyevd) | `np.linalg.eigh(A)` (dsyevd) |',
    '| thin SVD | `svd(A)` (dgesdd, jobz=S) | `np.linalg.svd(A, full_matrices=False)` (dgesdd) |',
    '| Cholesky factor + solve | `choleskySolve(cholesky(A), b)` (dpotrf + dpotrs) | `scipy.linalg.cho_solve(scipy.linalg.cho_factor(A, lower=True), b)` |',
    '| tanh | `elementwise({kind: "tanh"}, "value", X, Y, null)` (featlearn threads) | `np.tanh(X, out=Y)` (numpy ufuncs are single-threaded) |',
    '| standard normal fill | `fillNormal(rootKey(12345), out)` (Philox + ziggurat, featlearn threads) | `np.random.default_rng(12345).standard_normal(out=out)` (PCG64 + ziggurat, one thread) |',
    '',
    '## Machine and libraries',
    '',
    `- CPU: ${cpu}, ${cpus().length} logical cores; ${platform()} ${release()}`,
    `- System load average (1 min) before the run: ${loadBefore.toFixed(2)} on ${cpus().length} cores${loadBefore > 0.5 * cpus().length ? ' (other processes were running: timings are noisy)' : ''}; after it: ${loadAfter.toFixed(2)} (includes the benchmark itself)`,
    `- Threads: ${threads} on both sides (featlearn \`setThreads(${threads})\`; numpy child with OPENBLAS_NUM_THREADS=${threads}, OMP_NUM_THREADS=${threads})`,
    `- Node ${process.version}; featlearn native backend: ${fl.blas}; reported threads ${fl.threads}`,
    `- featlearn tanh kernel: ${ew.tanh}`,
    `- Python ${pyInfo.python}, numpy ${pyInfo.numpy}, scipy ${pyInfo.scipy}`,
    `- numpy's OpenBLAS: ${nb ? `${nb.config} (core ${nb.corename}, ${nb.threads} threads, ${nb.library})` : 'not found'}`,
    `- scipy's OpenBLAS (used by cho_factor/cho_solve): ${sb ? `${sb.config} (core ${sb.corename}, ${sb.threads} threads, ${sb.library})` : 'not found'}`,
    `- OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: ${removed.length ? `set in this environment (${removed.join(', ')}); removed for the numpy child only, featlearn ran with them` : 'not set'}`,
    '',
  ];
  const outPath = outputPath(opts);
  writeSection(outPath, opts.suite, lines);
  process.stdout.write(`${lines.join('\n')}\nbench: wrote ${relative(root, outPath)}\n`);
}

main().catch((e) => fail(e.stack ?? String(e)));
