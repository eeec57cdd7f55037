/**
 * Checking a POST /api/simulate body: the envelope (./protocol.ts), then the config with the CLI's
 * schema (resolveExperimentConfig, src/models/experiment-config.ts), then the activations (registry names
 * and poly:/hermite: specs only, never a user-registered function), then the server's limits. Each
 * failure is an HttpError whose body names the key, the value and what is allowed.
 */
import { ConfigError, formatIssue, parseWith } from '../config/validate.js';
import { ACTIVATION_SPEC_PREFIXES, BUILTIN_ACTIVATION_NAMES } from '../activations/index.js';
import { experimentConfigSchema, resolveExperimentConfig, type ExperimentConfig } from '../models/experiment-config.js';
import { withSweepValue } from '../theory/index.js';
import type { JobWorkerData } from './jobs.js';
import { LIMIT_FLAGS, simulateRequestSchema, type ErrorBody, type ServeLimits } from './protocol.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.error.message);
    this.name = 'HttpError';
  }
}

/** The 400 for a ConfigError: the message lists every issue; key/value/allowed come from the first. */
function badRequest(e: ConfigError, first?: { key: string; value?: unknown; allowed?: unknown }): HttpError {
  const line = e.issues[0] ?? '';
  const colon = line.indexOf(': ');
  const key = first?.key ?? (colon > 0 ? line.slice(0, colon) : undefined);
  let allowed = first?.allowed;
  if (allowed === undefined && colon > 0) {
    const m = /^expected (.*?)(?:, got .*)?$/.exec(line.slice(colon + 2));
    if (m) allowed = m[1];
  }
  return new HttpError(400, { error: { message: e.message, key, value: first?.value, allowed } });
}

function allowedOf(issueLine: string): string | undefined {
  const colon = issueLine.indexOf(': ');
  const m = /^expected (.*?)(?:, got .*)?$/.exec(issueLine.slice(colon + 2));
  return m ? m[1] : issueLine.slice(colon + 2);
}

const SAFE_ACTIVATION = `one of ${BUILTIN_ACTIVATION_NAMES.join(', ')}, or a poly:c0,c1,... / hermite:c0,c1,... spec (the server runs no user-defined functions)`;

/** Validates the config with the CLI's schema; structured key/value of the first issue. */
function checkConfig(raw: unknown): ExperimentConfig {
  const parsed = experimentConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const lines = issues.map(formatIssue);
    const i0 = issues[0] as (typeof issues)[number] & { input?: unknown };
    // an unknown key is named itself (its issue's path is the object holding it)
    const path = i0.code === 'unrecognized_keys' ? [...i0.path, i0.keys[0]] : i0.path;
    const key = path.length === 0 ? '(top level)' : path.map(String).join('.');
    const value = i0.code === 'unrecognized_keys' && i0.input && typeof i0.input === 'object' ? (i0.input as Record<string, unknown>)[i0.keys[0]] : i0.input;
    const isActivation = key === 'student.activation' || key === 'teacher.link';
    throw badRequest(new ConfigError(lines, 'config'), { key, value, allowed: isActivation ? SAFE_ACTIVATION : allowedOf(lines[0]) });
  }
  try {
    return resolveExperimentConfig(raw, 'config');
  } catch (e) {
    if (e instanceof ConfigError) throw badRequest(e);
    throw e;
  }
}

function checkActivation(key: string, spec: string): void {
  if ((BUILTIN_ACTIVATION_NAMES as readonly string[]).includes(spec)) return;
  if (ACTIVATION_SPEC_PREFIXES.some((p) => spec.startsWith(p))) return;
  throw new HttpError(400, { error: { message: `invalid config:\n  ${key}: expected ${SAFE_ACTIVATION}, got ${JSON.stringify(spec)}`, key, value: spec, allowed: SAFE_ACTIVATION } });
}

function limitError(key: string, value: number, limit: keyof ServeLimits, limits: ServeLimits, what: string): HttpError {
  return new HttpError(422, {
    error: {
      message: `${key} = ${value} is above this server's limit ${limit} = ${limits[limit]} (${what}); the limit is configurable with featlearn serve ${LIMIT_FLAGS[limit]} N`,
      key,
      value,
      allowed: limits[limit],
    },
  });
}

/** Sizes of one resolved config against the limits. */
function checkSizes(c: ExperimentConfig, limits: ServeLimits, where: string): void {
  if (c.d > limits.maxD) throw limitError('d', c.d, 'maxD', limits, `input dimension${where}`);
  if (c.width > limits.maxN) throw limitError('width', c.width, 'maxN', limits, `neurons, width = round(psi * d)${where}`);
  for (const k of ['n', 'n0', 'nTest'] as const) {
    if (c[k] > limits.maxSamples) throw limitError(k, c[k], 'maxSamples', limits, `samples${where}`);
  }
  if (c.step.steps > limits.maxSteps) throw limitError('step.steps', c.step.steps, 'maxSteps', limits, `gradient steps${where}`);
}

/** The job of a request body (already JSON-parsed); throws HttpError (400/422). */
export function jobFromRequest(body: unknown, limits: ServeLimits): JobWorkerData {
  let req;
  try {
    req = parseWith(simulateRequestSchema, body, 'request');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const parsed = simulateRequestSchema.safeParse(body, { reportInput: true });
    const i0 = parsed.success ? undefined : (parsed.error.issues[0] as { path: PropertyKey[]; input?: unknown });
    throw badRequest(e, i0 ? { key: i0.path.length === 0 ? '(top level)' : i0.path.map(String).join('.'), value: i0.input, allowed: allowedOf(e.issues[0]) } : undefined);
  }
  const config = checkConfig(req.config);
  checkActivation('student.activation', config.student.activation);
  checkActivation('teacher.link', config.teacher.link);
  if (req.seeds > limits.maxSeeds) throw limitError('seeds', req.seeds, 'maxSeeds', limits, 'seeds per point');
  checkSizes(config, limits, '');
  if (req.sweep) {
    const { key, values } = req.sweep;
    if (values.length > limits.maxSweepPoints) throw limitError('sweep.values', values.length, 'maxSweepPoints', limits, 'number of sweep values');
    values.forEach((v, i) => {
      let c: ExperimentConfig;
      try {
        c = withSweepValue(config, key, v);
      } catch (e) {
        if (e instanceof ConfigError) throw badRequest(e, { key: `sweep.values.${i}`, value: v });
        throw e;
      }
      checkSizes(c, limits, ` at sweep value ${key} = ${v}`);
    });
  }
  return { config, seeds: req.seeds, sweep: req.sweep, spectrum: req.spectrum };
}
