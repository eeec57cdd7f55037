/**
 * The activation registry: `getActivation(spec)` resolves a built-in name, a `poly:`/`hermite:` spec or
 * a name registered by the user with `registerActivation`. User activations have no native kernel (they
 * run elementwise in JavaScript) and no closed-form moments (quadrature, split at their declared kinks).
 *
 * The registry is module state (one per JS realm); registration is explicit and checked, and names can
 * never shadow a built-in.
 */
import { BUILTIN_ACTIVATION_NAMES, BUILTIN_ACTIVATIONS, type BuiltinActivationName } from './builtin.js';
import { MAX_SPEC_DEGREE, polyFromHermite, polyFromMonomial } from './polynomial.js';
import type { Activation, Parity } from './types.js';

/** Thrown for unknown or malformed activation specs and invalid registrations. */
export class ActivationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActivationError';
  }
}

/** Prefixes of the parametrised families. */
export const ACTIVATION_SPEC_PREFIXES = ['poly:', 'hermite:'] as const;

const registered = new Map<string, Activation>();
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Human-readable list of what getActivation accepts (for error messages and help texts). */
export function describeActivationSpecs(): string {
  const user = [...registered.keys()];
  return (
    `one of ${BUILTIN_ACTIVATION_NAMES.join(', ')}; poly:c0,c1,... (monomial coefficients, e.g. poly:1,0,0.5 = 1 + 0.5 z^2); ` +
    `hermite:c0,c1,... (coefficients on the unnormalised probabilists' Hermite He_k, e.g. hermite:0,1,0.5 = z + 0.5 (z^2 - 1))` +
    (user.length > 0 ? `; or a registered activation: ${user.join(', ')}` : '; or a name registered with registerActivation')
  );
}

function isBuiltinName(name: string): name is BuiltinActivationName {
  return (BUILTIN_ACTIVATION_NAMES as readonly string[]).includes(name);
}

/** Parses "c0,c1,..." of a poly:/hermite: spec; throws an ActivationError naming the bad entry. */
function parseCoefficients(spec: string, prefix: string): number[] {
  const body = spec.slice(prefix.length);
  if (body.trim() === '') {
    throw new ActivationError(`activation "${spec}": ${prefix} needs a comma-separated list of coefficients, e.g. ${prefix}1,0,0.5`);
  }
  const parts = body.split(',');
  const out: number[] = [];
  parts.forEach((p, i) => {
    const t = p.trim();
    const v = t === '' ? NaN : Number(t);
    if (!Number.isFinite(v)) {
      throw new ActivationError(`activation "${spec}": coefficient ${i} is ${JSON.stringify(t)}, expected a finite number (list like ${prefix}1,0,0.5)`);
    }
    out.push(v);
  });
  if (out.length - 1 > MAX_SPEC_DEGREE) {
    throw new ActivationError(`activation "${spec}": degree ${out.length - 1} is above the maximum ${MAX_SPEC_DEGREE}`);
  }
  return out;
}

const familyCache = new Map<string, Activation>();

/**
 * The activation for a spec: a built-in name (BUILTIN_ACTIVATION_NAMES), `poly:c0,c1,...`,
 * `hermite:c0,c1,...` or a registered name. Throws an ActivationError listing what is allowed.
 */
export function getActivation(spec: string): Activation {
  if (typeof spec !== 'string') throw new ActivationError(`activation must be a string spec, got ${typeof spec}; allowed: ${describeActivationSpecs()}`);
  const s = spec.trim();
  if (isBuiltinName(s)) return BUILTIN_ACTIVATIONS[s];
  const user = registered.get(s);
  if (user) return user;
  for (const prefix of ACTIVATION_SPEC_PREFIXES) {
    if (s.startsWith(prefix)) {
      const cached = familyCache.get(s);
      if (cached) return cached;
      const coeffs = parseCoefficients(s, prefix);
      const act = prefix === 'poly:' ? polyFromMonomial(coeffs) : polyFromHermite(coeffs);
      familyCache.set(s, act);
      return act;
    }
  }
  throw new ActivationError(`unknown activation ${JSON.stringify(spec)}; allowed: ${describeActivationSpecs()}`);
}

/** The error message getActivation would throw for `spec`, or undefined when it is valid (for schemas). */
export function activationSpecError(spec: string): string | undefined {
  try {
    getActivation(spec);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Built-in and registered names (not the poly:/hermite: families). */
export function listActivationNames(): string[] {
  return [...BUILTIN_ACTIVATION_NAMES, ...registered.keys()];
}

/** A user-defined activation for registerActivation. */
export interface ActivationDefinition {
  /** Letters, digits, '_', '-', '.'; must start with a letter; no ':' (reserved for poly:/hermite:). */
  name: string;
  value: (z: number) => number;
  derivative: (z: number) => number;
  secondDerivative?: (z: number) => number;
  /** Points where the value or derivative is not smooth (default none). */
  kinks?: readonly number[];
  /** Default 'none'; 'odd' / 'even' are checked at a few points. */
  parity?: Parity;
  /** Default true; false if the value jumps. */
  continuous?: boolean;
  description?: string;
  /** Compare `derivative` with central finite differences at sample points (default true). */
  checkDerivative?: boolean;
}

const SAMPLE_POINTS = [-3.1, -1.7, -0.63, -0.2, 0.37, 0.81, 1.45, 2.6];

/**
 * Validates a definition and returns the Activation without registering it (for one-off use).
 * Checks: name pattern, functions, finite values/derivatives at sample points, declared parity, and the
 * derivative against central differences (relative 1e-5) away from the declared kinks.
 */
export function defineActivation(def: ActivationDefinition): Activation {
  if (def === null || typeof def !== 'object') throw new ActivationError('activation definition must be an object');
  const { name } = def;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new ActivationError(`activation name must match ${NAME_PATTERN} (letters, digits, _ - ., starting with a letter), got ${JSON.stringify(name)}`);
  }
  for (const key of ['value', 'derivative'] as const) {
    if (typeof def[key] !== 'function') throw new ActivationError(`activation "${name}": ${key} must be a function, got ${typeof def[key]}`);
  }
  if (def.secondDerivative !== undefined && typeof def.secondDerivative !== 'function') {
    throw new ActivationError(`activation "${name}": secondDerivative must be a function when given, got ${typeof def.secondDerivative}`);
  }
  const kinks = def.kinks ?? [];
  if (!Array.isArray(kinks) || kinks.some((k) => typeof k !== 'number' || !Number.isFinite(k))) {
    throw new ActivationError(`activation "${name}": kinks must be an array of finite numbers, got ${JSON.stringify(kinks)}`);
  }
  const parity = def.parity ?? 'none';
  if (parity !== 'odd' && parity !== 'even' && parity !== 'none') {
    throw new ActivationError(`activation "${name}": parity must be one of "odd" | "even" | "none", got ${JSON.stringify(parity)}`);
  }
  const continuous = def.continuous ?? true;
  if (typeof continuous !== 'boolean') throw new ActivationError(`activation "${name}": continuous must be a boolean`);

  const nearKink = (z: number) => kinks.some((k) => Math.abs(z - k) < 0.05);
  for (const z of SAMPLE_POINTS) {
    const v = def.value(z);
    const d = def.derivative(z);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ActivationError(`activation "${name}": value(${z}) = ${v}, expected a finite number`);
    if (typeof d !== 'number' || !Number.isFinite(d)) throw new ActivationError(`activation "${name}": derivative(${z}) = ${d}, expected a finite number`);
    if (parity !== 'none') {
      const sign = parity === 'odd' ? -1 : 1;
      const vm = def.value(-z);
      if (Math.abs(vm - sign * v) > 1e-12 * (1 + Math.abs(v))) {
        throw new ActivationError(`activation "${name}": declared ${parity} but value(${-z}) = ${vm} and value(${z}) = ${v}`);
      }
    }
    if ((def.checkDerivative ?? true) && !nearKink(z)) {
      const h = 1e-5 * (1 + Math.abs(z));
      const fd = (def.value(z + h) - def.value(z - h)) / (2 * h);
      const scale = 1 + Math.abs(d) + Math.abs(v);
      if (Math.abs(fd - d) > 1e-5 * scale) {
        throw new ActivationError(
          `activation "${name}": derivative(${z}) = ${d} but the central difference of value gives ${fd}; ` +
            'fix the derivative, declare the kinks, or pass checkDerivative: false',
        );
      }
    }
  }
  const value = def.value;
  const derivative = def.derivative;
  const secondDerivative = def.secondDerivative;
  return Object.freeze({
    name,
    description: def.description ?? `user-defined activation "${name}"`,
    value,
    derivative,
    ...(secondDerivative ? { secondDerivative } : {}),
    kinks: Object.freeze(kinks.slice()),
    continuous,
    parity,
    builtin: false,
  });
}

/**
 * Registers a user activation under its name so that configs and getActivation can use it. Throws an
 * ActivationError if the definition is invalid (see defineActivation) or the name is taken (built-in
 * names are reserved; call unregisterActivation first to replace a registered one).
 */
export function registerActivation(def: ActivationDefinition): Activation {
  const name = def?.name;
  if (typeof name === 'string' && isBuiltinName(name)) {
    throw new ActivationError(`activation name "${name}" is a built-in and cannot be redefined; choose another name`);
  }
  if (typeof name === 'string' && registered.has(name)) {
    throw new ActivationError(`activation "${name}" is already registered; call unregisterActivation("${name}") first to replace it`);
  }
  const act = defineActivation(def);
  registered.set(act.name, act);
  return act;
}

/** Removes a registered activation; returns whether it existed. Built-ins cannot be removed. */
export function unregisterActivation(name: string): boolean {
  if (isBuiltinName(name)) throw new ActivationError(`activation "${name}" is a built-in and cannot be unregistered`);
  return registered.delete(name);
}
