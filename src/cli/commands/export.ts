/**
 * `featlearn export runs.sqlite --csv|--json [--out FILE] [--status ok|failed] [--command C]`: the points
 * of a store as CSV (one row per point: key, command, seed, status, ..., the resolved config by dotted
 * key, the result's scalars; src/store/flatten.ts) or as JSON (the stored records, whole).
 */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError } from '../../config/validate.js';
import { openStore, POINT_COMMANDS, type PointCommand, type PointStatus } from '../../store/store.js';
import { pointsToCsv } from '../../store/flatten.js';
import type { GlobalOptions } from '../output.js';

interface ExportFlags {
  csv: boolean;
  json?: boolean;
  out?: string;
  status?: PointStatus;
  command?: PointCommand;
}

export function exportCommand(globals: () => GlobalOptions): Command {
  return new Command('export')
    .description('export a result store as CSV (flat columns) or JSON (whole records)')
    .argument('<store>', 'the SQLite store')
    .option('--csv', 'CSV: one row per point, config keys and result fields as columns', false)
    .option('--json', 'JSON: an array of the stored points')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addOption(new Option('--status <status>', 'only points with this status').choices(['ok', 'failed']))
    .addOption(new Option('--command <command>', 'only points of this command').choices([...POINT_COMMANDS]))
    .action((path: string, flags: ExportFlags) => {
      // the global --json is the same flag: either place selects JSON
      const json = Boolean(flags.json) || globals().json;
      if (flags.csv === json) throw new ConfigError([`export: give exactly one of --csv and --json, got ${flags.csv ? 'both' : 'neither'}`]);
      const store = openStore(path, { readonly: true });
      let text: string;
      try {
        const points = store.points({ status: flags.status, command: flags.command });
        text = json ? `${JSON.stringify(points, null, 2)}\n` : pointsToCsv(points);
      } finally {
        store.close();
      }
      if (flags.out) {
        try {
          writeFileSync(flags.out, text);
        } catch (e) {
          throw new ConfigError([`--out: cannot write "${flags.out}": ${(e as Error).message}`]);
        }
      } else process.stdout.write(text);
    });
}
