/**
 * One validator for every config and input (STYLE.md principle 2): parse with a zod schema and turn
 * each issue into a line naming the key, what is allowed and the value that was given, e.g.
 *   step.scaling: expected one of "one" | "sqrtN" | "power", got "sqrt"
 */
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly issues: readonly string[],
    readonly source?: string,
  ) {
    super(`${source ? `invalid ${source}` : 'invalid input'}:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `data` or throws a ConfigError listing every problem. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, source?: string): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map(formatIssue), source);
}

type Issue = z.core.$ZodIssue & { input?: unknown };

export function formatIssue(issue: Issue): string {
  const key = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
  switch (issue.code) {
    case 'invalid_value':
      return `${key}: expected one of ${issue.values.map(show).join(' | ')}, got ${show(issue.input)}`;
    case 'unrecognized_keys':
      return `${key}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      const what = issue.origin === 'array' || issue.origin === 'string' ? `${issue.origin} length` : 'a value';
      return `${key}: expected ${what} ${op} ${String(bound)}, got ${show(issue.input)}`;
    }
    case 'invalid_type':
      return `${key}: expected ${issue.expected}, got ${issue.input === undefined ? 'nothing (missing)' : show(issue.input)}`;
    default:
      return `${key}: ${issue.message}${'input' in issue && issue.input !== undefined ? `, got ${show(issue.input)}` : ''}`;
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}
