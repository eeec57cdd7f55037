#!/usr/bin/env node
// The featlearn side of `npm run bench -- simulate` (bench/simulate.mjs starts it): a separate process so
// that its peak resident memory is its own. Loads the compiled package (dist/), sets the thread count and
// answers JSON-line requests on stdin, like bench/ref/onestep.py serve:
//   {"cmd": "run", "seed": s} -> {"time", "cpu", "risk", "trainError"}   (wall and process CPU seconds of one
//                                                                          simulate() call, one seed)
//   {"cmd": "mem"}            -> {"peakRssBytes", "baselineRssBytes"}
//   {"cmd": "quit"}
// argv: JSON {config, threads}.
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { config, threads } = JSON.parse(process.argv[2]);
const la = await import(pathToFileURL(join(root, 'dist', 'src', 'linalg', 'index.js')).href);
const { simulate } = await import(pathToFileURL(join(root, 'dist', 'src', 'simulate', 'run.js')).href);
const backend = la.getBackendByName('native');
backend.setThreads(threads);
const rss = () => process.resourceUsage().maxRSS * 1024;
const baseline = rss();

for await (const line of createInterface({ input: process.stdin })) {
  const req = JSON.parse(line);
  if (req.cmd === 'quit') break;
  let reply;
  try {
    if (req.cmd === 'mem') reply = { peakRssBytes: rss(), baselineRssBytes: baseline };
    else if (req.cmd === 'run') {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      const r = await simulate({ ...config, seed: req.seed ?? 0 }, { seeds: 1, workers: 0, backend });
      const time = Number(process.hrtime.bigint() - t0) / 1e9;
      const c = process.cpuUsage(c0);
      reply = { time, cpu: (c.user + c.system) / 1e6, risk: r.runs[0].risk, trainError: r.runs[0].trainError, warnings: r.warnings, estimate: r.memory };
    } else reply = { error: `unknown command ${req.cmd}` };
  } catch (e) {
    reply = { error: e.stack ?? String(e) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
