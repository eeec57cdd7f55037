// Shared by the bench suites: a long-lived child process (featlearn or a numpy reference) answering
// one JSON request per line, and the median of repeated timings.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export function child(command, args, env, cwd, name) {
  const proc = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  let exited;
  createInterface({ input: proc.stdout }).on('line', (line) => waiting.shift()?.resolve(line));
  const failAll = (err) => {
    exited = err;
    for (const w of waiting.splice(0)) w.reject(err);
  };
  proc.on('error', (e) => failAll(new Error(`cannot run ${name}: ${e.message}`)));
  proc.on('exit', (code) => failAll(new Error(`${name} exited (code ${code}); see its error above`)));
  return {
    async request(obj) {
      if (exited) throw exited;
      const reply = new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      proc.stdin.write(`${JSON.stringify(obj)}\n`);
      const r = JSON.parse(await reply);
      if (r.error) throw new Error(`${name}: ${r.error}`);
      return r;
    },
    close() {
      proc.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    },
  };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
