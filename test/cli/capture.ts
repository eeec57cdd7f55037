/** Runs the featlearn CLI in-process, capturing its exit code, stdout and stderr (shared by CLI tests). */
import { main } from '../../src/cli/program.js';

export async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['node', 'featlearn', ...argv]);
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
  return { code, out: out.join(''), err: err.join('') };
}
