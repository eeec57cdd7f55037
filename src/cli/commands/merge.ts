/**
 * `featlearn merge a.sqlite b.sqlite ... --out all.sqlite [--tolerance r] [--keep-first]`: the union of
 * stores (shards), deduplicated by point key (src/store/merge.ts). Duplicates must agree (identical
 * results, or numbers within the relative tolerance); conflicting duplicates are listed and nothing is
 * written (exit code 2), unless --keep-first.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../../config/validate.js';
import { mergeStores } from '../../store/merge.js';
import { printJson, printText, type GlobalOptions } from '../output.js';

interface MergeFlags {
  out: string;
  tolerance: number;
  keepFirst: boolean;
}

function parseTolerance(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x < 0 || x >= 1) throw new InvalidArgumentError(`expected a number in [0, 1), got "${value}"`);
  return x;
}

export function mergeCommand(globals: () => GlobalOptions): Command {
  return new Command('merge')
    .description('merge result stores (e.g. the shards of a sweep), deduplicating by point key and detecting conflicts')
    .argument('<stores...>', 'input stores')
    .requiredOption('-o, --out <store>', 'output store (created when missing; its points are kept)')
    .option('--tolerance <r>', 'relative tolerance for numbers of duplicate points', parseTolerance, 0)
    .option('--keep-first', 'write even when duplicates conflict (the first row of a key wins)', false)
    .action((inputs: string[], flags: MergeFlags) => {
      const opts = globals();
      const r = mergeStores(inputs, flags.out, { tolerance: flags.tolerance, keepFirst: flags.keepFirst });
      if (r.conflicts.length > 0 && !flags.keepFirst) {
        const shown = r.conflicts.slice(0, 20).map((c) => `point ${c.key.slice(0, 16)} (${c.files.join(' vs ')}): ${c.what}`);
        if (r.conflicts.length > 20) shown.push(`... and ${r.conflicts.length - 20} more`);
        throw new ConfigError([...shown, `nothing written to ${flags.out}; pass --tolerance r or --keep-first to merge anyway`], `merge: ${r.conflicts.length} conflicting duplicate point${r.conflicts.length > 1 ? 's' : ''}`);
      }
      if (opts.json) return printJson({ ...r, out: flags.out });
      printText(
        opts,
        [
          ...r.inputs.map((i) => `  ${i.path}: ${i.points} points`),
          `merged into ${flags.out}: ${r.points} points (${r.duplicates} duplicates dropped${r.conflicts.length ? `, ${r.conflicts.length} conflicts kept first` : ''})`,
        ].join('\n'),
      );
    });
}
