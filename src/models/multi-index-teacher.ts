/**
 * Multi-index targets (../shared/spec/multi-index.md section 1): labels depend on x ~ N(0, I_d) only
 * through z = Theta*^T x in R^k (Theta* in R^{d x k} with orthonormal columns):
 *   y = g(z) + sqrt(Delta) xi,  xi ~ N(0, 1).
 *
 * This module is the neutral data model (STYLE.md 13): the functions g and metadata that theory uses
 * (delta_alg needs to know whether E[z | y] can be nonzero, whether g depends on z1 only, its symmetries).
 * It draws nothing (drawing Theta* and labels is in src/simulate/dynamics/teacher.ts) and imports nothing
 * Node-only, so theory and the browser can use it.
 *
 * Built-in targets (`getMultiIndexTarget(name, k)`):
 * | name              | g(z)                                   | k        |
 * |-------------------|----------------------------------------|----------|
 * | `phase-retrieval` | z1^2                                   | >= 1 (default 1) |
 * | `abs`             | abs(z1)                                | >= 1 (default 1) |
 * | `norm2`           | abs(z)^2 / k   (mean 1)                | >= 1 (default 2) |
 * | `norm2-sum`       | abs(z)^2       (the un-normalised form) | >= 1 (default 2) |
 * | `product`         | z1 z2 ... zk                           | >= 2 (default 2) |
 * | `staircase`       | z1 + z1 z2 + ... + z1 z2 ... zk        | >= 1 (default 2) |
 * | `he2-sum`         | sum_j He2(z_j) / sqrt(2k) (unit variance) | >= 1 (default 2) |
 * Any other spec accepted by the activation registry (`tanh`, `relu`, `poly:...`, a registered
 * activation, ...) is the single-index link applied to z1: g(z) = link(z1) (k >= 1, default 1). Users add
 * functions of z with `registerMultiIndexTarget`. A built-in target name wins over an activation of the
 * same name (`abs` is both: same function).
 *
 * For k larger than the number of coordinates a target uses (e.g. phase retrieval with k = 2), the
 * extra directions of Theta* are irrelevant to the labels (g does not depend on them).
 */
import { getActivation, type Activation } from '../activations/index.js';

/** Symmetries of g that theory can use (all refer to the noiseless g). */
export interface TargetSymmetry {
  /** g(-z) = g(z): then E[z | y] = 0 and there is no trivial (first-order) direction. */
  readonly even: boolean;
  /** g depends on z only through z1 (single-index target written in k coordinates). */
  readonly firstCoordinateOnly: boolean;
  /** g depends on z only through |z| (rotation invariant in R^k). */
  readonly radial: boolean;
  /** g is invariant under permutations of the k coordinates. */
  readonly permutationInvariant: boolean;
  /** g is invariant under flipping the sign of any single coordinate (then E[z z^T | y] is diagonal). */
  readonly signFlipInvariant: boolean;
}

export interface MultiIndexTarget {
  /** The spec it was resolved from (`phase-retrieval`, `tanh`, a registered name, ...). */
  readonly name: string;
  /** Latent dimension k = number of columns of Theta*. */
  readonly k: number;
  /** g(z) for z of length k (must not modify z). */
  g(z: Float64Array): number;
  readonly description: string;
  readonly symmetry: TargetSymmetry;
  /** Where it comes from: a built-in target, a single-index link on z1, or a user registration. */
  readonly origin: 'builtin' | 'link' | 'registered';
  /** For origin 'link' (and phase-retrieval = quadratic, abs): the link with g(z) = link(z1). */
  readonly link?: Activation;
  /** Gradient of g (for built-ins and links with a derivative), length k. Undefined when unknown. */
  gradient?(z: Float64Array, out: Float64Array): Float64Array;
}

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

interface BuiltinTargetSpec {
  readonly minK: number;
  readonly defaultK: number;
  readonly description: (k: number) => string;
  readonly symmetry: (k: number) => TargetSymmetry;
  readonly make: (k: number) => Pick<MultiIndexTarget, 'g' | 'gradient' | 'link'>;
}

const sym = (s: Partial<TargetSymmetry>): TargetSymmetry =>
  Object.freeze({ even: false, firstCoordinateOnly: false, radial: false, permutationInvariant: false, signFlipInvariant: false, ...s });

/** z1-only targets are permutation invariant only when k = 1. */
const firstOnlySym = (k: number, even: boolean): TargetSymmetry =>
  sym({ even, firstCoordinateOnly: true, radial: k === 1 && even, permutationInvariant: k === 1, signFlipInvariant: even });

const BUILTIN_TARGETS: Readonly<Record<string, BuiltinTargetSpec>> = {
  'phase-retrieval': {
    minK: 1,
    defaultK: 1,
    description: () => 'phase retrieval y = z1^2',
    symmetry: (k) => firstOnlySym(k, true),
    make: () => ({
      g: (z) => z[0] * z[0],
      gradient: (z, out) => (out.fill(0), (out[0] = 2 * z[0]), out),
      link: getActivation('quadratic'),
    }),
  },
  abs: {
    minK: 1,
    defaultK: 1,
    description: () => 'y = |z1|',
    symmetry: (k) => firstOnlySym(k, true),
    make: () => ({
      g: (z) => Math.abs(z[0]),
      gradient: (z, out) => (out.fill(0), (out[0] = Math.sign(z[0])), out),
      link: getActivation('abs'),
    }),
  },
  norm2: {
    minK: 1,
    defaultK: 2,
    description: (k) => `y = |z|^2 / k (k = ${k}; mean 1)`,
    symmetry: () => sym({ even: true, radial: true, permutationInvariant: true, signFlipInvariant: true }),
    make: (k) => ({
      g: (z) => sumSquares(z, k) / k,
      gradient: (z, out) => {
        for (let j = 0; j < k; j++) out[j] = (2 * z[j]) / k;
        return out;
      },
    }),
  },
  'norm2-sum': {
    minK: 1,
    defaultK: 2,
    description: (k) => `y = |z|^2 (k = ${k}; mean k)`,
    symmetry: () => sym({ even: true, radial: true, permutationInvariant: true, signFlipInvariant: true }),
    make: (k) => ({
      g: (z) => sumSquares(z, k),
      gradient: (z, out) => {
        for (let j = 0; j < k; j++) out[j] = 2 * z[j];
        return out;
      },
    }),
  },
  product: {
    minK: 2,
    defaultK: 2,
    description: (k) => `y = z1 z2${k > 2 ? ' ... z' + k : ''}`,
    // Product of k coordinates: even under z -> -z iff k is even; flipping one sign flips y.
    symmetry: (k) => sym({ even: k % 2 === 0, permutationInvariant: true }),
    make: (k) => ({
      g: (z) => {
        let p = 1;
        for (let j = 0; j < k; j++) p *= z[j];
        return p;
      },
      gradient: (z, out) => {
        for (let j = 0; j < k; j++) {
          let p = 1;
          for (let l = 0; l < k; l++) if (l !== j) p *= z[l];
          out[j] = p;
        }
        return out;
      },
    }),
  },
  staircase: {
    minK: 1,
    defaultK: 2,
    description: (k) => `staircase y = z1 + z1 z2${k > 2 ? ' + ... + z1 ... z' + k : ''} (k = ${k})`,
    symmetry: (k) => sym({ firstCoordinateOnly: k === 1 }),
    make: (k) => ({
      g: (z) => {
        let p = 1;
        let s = 0;
        for (let j = 0; j < k; j++) {
          p *= z[j];
          s += p;
        }
        return s;
      },
      gradient: (z, out) => {
        // d/dz_j sum_l prod_{i<=l} z_i = sum_{l>=j} prod_{i<=l, i != j} z_i.
        for (let j = 0; j < k; j++) {
          let s = 0;
          let p = 1;
          for (let l = 0; l < k; l++) {
            if (l !== j) p *= z[l];
            if (l >= j) s += p;
          }
          out[j] = s;
        }
        return out;
      },
    }),
  },
  'he2-sum': {
    minK: 1,
    defaultK: 2,
    description: (k) => `y = sum_j (z_j^2 - 1) / sqrt(2k) (k = ${k}; mean 0, variance 1)`,
    symmetry: () => sym({ even: true, radial: true, permutationInvariant: true, signFlipInvariant: true }),
    make: (k) => {
      const c = 1 / Math.sqrt(2 * k);
      return {
        g: (z) => c * (sumSquares(z, k) - k),
        gradient: (z, out) => {
          for (let j = 0; j < k; j++) out[j] = 2 * c * z[j];
          return out;
        },
      };
    },
  },
};

/** Names of the built-in multi-index targets (besides single-index links). */
export const BUILTIN_TARGET_NAMES: readonly string[] = Object.freeze(Object.keys(BUILTIN_TARGETS));

function sumSquares(z: Float64Array, k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += z[j] * z[j];
  return s;
}

/** A user-defined target g(z), z in R^k. */
export interface TargetDefinition {
  /** Letters, digits, '_', '-', '.', starting with a letter; must not be a built-in target name. */
  name: string;
  /** The latent dimension this g needs; omit when g works for any k (then `minK` applies, default 1). */
  k?: number;
  minK?: number;
  g: (z: Float64Array) => number;
  gradient?: (z: Float64Array, out: Float64Array) => Float64Array;
  description?: string;
  /** Declared symmetries (default all false; `even` is spot-checked). */
  symmetry?: Partial<TargetSymmetry>;
}

const registered = new Map<string, TargetDefinition>();
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Checks a k value for a target, with the allowed range in the message. */
function checkK(name: string, k: number, minK: number, fixedK?: number): void {
  if (!Number.isInteger(k) || k < 1) throw new TargetError(`teacher.k: expected a positive integer, got ${k}`);
  if (fixedK !== undefined && k !== fixedK) throw new TargetError(`teacher.k: target "${name}" is defined for k = ${fixedK}, got ${k}`);
  if (k < minK) throw new TargetError(`teacher.k: target "${name}" needs k >= ${minK}, got ${k}`);
}

/** Spot points used to validate user targets and check declared evenness. */
function spotPoints(k: number): Float64Array[] {
  const base = [0.37, -1.2, 0.81, -0.29, 1.63, -0.72, 0.15, 2.1];
  return [0, 1, 2].map((s) => Float64Array.from({ length: k }, (_, j) => base[(j + 3 * s) % base.length] * (s === 1 ? -1.3 : 1)));
}

/** Registers a user target so that configs (`teacher.link`) and getMultiIndexTarget can use it. */
export function registerMultiIndexTarget(def: TargetDefinition): void {
  if (def === null || typeof def !== 'object') throw new TargetError('target definition must be an object');
  const { name } = def;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new TargetError(`target name must match ${NAME_PATTERN} (letters, digits, _ - ., starting with a letter), got ${JSON.stringify(name)}`);
  }
  if (name in BUILTIN_TARGETS) throw new TargetError(`target name "${name}" is a built-in target and cannot be redefined; choose another name`);
  if (registered.has(name)) throw new TargetError(`target "${name}" is already registered; call unregisterMultiIndexTarget("${name}") first`);
  if (typeof def.g !== 'function') throw new TargetError(`target "${name}": g must be a function, got ${typeof def.g}`);
  if (def.k !== undefined && (!Number.isInteger(def.k) || def.k < 1)) throw new TargetError(`target "${name}": k must be a positive integer, got ${def.k}`);
  const k = def.k ?? Math.max(def.minK ?? 1, 1);
  for (const z of spotPoints(k)) {
    const v = def.g(z);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TargetError(`target "${name}": g(${Array.from(z).join(', ')}) = ${v}, expected a finite number`);
    if (def.symmetry?.even) {
      const vm = def.g(z.map((t) => -t));
      if (Math.abs(vm - v) > 1e-12 * (1 + Math.abs(v))) throw new TargetError(`target "${name}": declared even but g(-z) = ${vm} != g(z) = ${v}`);
    }
  }
  registered.set(name, def);
}

export function unregisterMultiIndexTarget(name: string): boolean {
  return registered.delete(name);
}

/** Built-in target names, registered names (activations applied to z1 are accepted too). */
export function listMultiIndexTargetNames(): string[] {
  return [...BUILTIN_TARGET_NAMES, ...registered.keys()];
}

export function describeMultiIndexTargets(): string {
  return `one of ${listMultiIndexTargetNames().join(', ')}, or any activation spec applied to z1 (tanh, relu, poly:0,0,1, ...)`;
}

/** The default latent dimension of a target spec (1 for a link on z1). Throws for unknown specs. */
export function defaultTargetK(spec: string): number {
  const b = BUILTIN_TARGETS[spec];
  if (b) return b.defaultK;
  const r = registered.get(spec);
  if (r) return r.k ?? Math.max(r.minK ?? 1, 1);
  resolveLink(spec);
  return 1;
}

function resolveLink(spec: string): Activation {
  try {
    return getActivation(spec);
  } catch (e) {
    throw new TargetError(`teacher.link: unknown target ${JSON.stringify(spec)}; allowed: ${describeMultiIndexTargets()} (${(e as Error).message})`);
  }
}

/**
 * The target for a spec and latent dimension k (default: the target's default k). Throws a TargetError
 * naming the spec/k and what is allowed.
 */
export function getMultiIndexTarget(spec: string, k?: number): MultiIndexTarget {
  if (typeof spec !== 'string') throw new TargetError(`teacher.link: expected a string, got ${typeof spec}`);
  const name = spec.trim();
  const b = BUILTIN_TARGETS[name];
  if (b) {
    const kk = k ?? b.defaultK;
    checkK(name, kk, b.minK);
    return Object.freeze({ name, k: kk, description: b.description(kk), symmetry: b.symmetry(kk), origin: 'builtin' as const, ...b.make(kk) });
  }
  const r = registered.get(name);
  if (r) {
    const kk = k ?? r.k ?? Math.max(r.minK ?? 1, 1);
    checkK(name, kk, r.minK ?? 1, r.k);
    return Object.freeze({
      name,
      k: kk,
      g: r.g,
      ...(r.gradient ? { gradient: r.gradient } : {}),
      description: r.description ?? `user-defined target "${name}"`,
      symmetry: sym(r.symmetry ?? {}),
      origin: 'registered' as const,
    });
  }
  const link = resolveLink(name);
  const kk = k ?? 1;
  checkK(name, kk, 1);
  return Object.freeze({
    name,
    k: kk,
    g: (z: Float64Array) => link.value(z[0]),
    gradient: (z: Float64Array, out: Float64Array) => (out.fill(0), (out[0] = link.derivative(z[0])), out),
    description: `single-index link ${link.name} applied to z1 (${link.description})`,
    symmetry: firstOnlySym(kk, link.parity === 'even'),
    origin: 'link' as const,
    link,
  });
}

/** A teacher = target + label-noise variance Delta (what configs describe; Theta* is drawn by simulation). */
export interface MultiIndexTeacherSpec {
  readonly target: MultiIndexTarget;
  /** Label-noise variance Delta >= 0: y = g(z) + sqrt(Delta) xi. */
  readonly noise: number;
}

export function multiIndexTeacherSpec(link: string, k: number | undefined, noise: number): MultiIndexTeacherSpec {
  if (!Number.isFinite(noise) || noise < 0) throw new TargetError(`teacher.noise: expected a finite number >= 0, got ${noise}`);
  return Object.freeze({ target: getMultiIndexTarget(link, k), noise });
}
