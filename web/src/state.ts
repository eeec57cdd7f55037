/**
 * The explorer's state: every control's value, the x axis, the view, the simulation request and the
 * multi-index settings. The state lives in the URL query (`?alpha=1.5&step.eta=2&x=alpha&...`): config
 * controls use the config's dotted keys (../shared/spec/README.md), so a link names what the CLI's
 * `--set` flags name. Only values that differ from the defaults are written; reading a URL fills the rest
 * with the defaults, so every control round-trips.
 */
import { BUILTIN_ACTIVATION_NAMES } from '../../src/activations/builtin.js';
import { BUILTIN_TARGET_NAMES } from '../../src/models/multi-index-teacher.js';

export type Value = number | string | boolean;
export type ControlKind = 'slider' | 'number' | 'select' | 'text' | 'checkbox';

export interface Control {
  /** State key; for config controls the config's dotted key. */
  key: string;
  /** Label in the papers' notation (HTML). */
  label: string;
  /** Tooltip: what the key means. */
  help: string;
  kind: ControlKind;
  default: Value;
  min?: number;
  max?: number;
  step?: number;
  /** Slider in log10 space. */
  log?: boolean;
  options?: readonly string[];
  /** Suggestions for a free-text field (activation names). */
  suggestions?: readonly string[];
  /** Integer values only. */
  integer?: boolean;
  /** Whether the control enters the one-step config (else: explorer or request setting). */
  config: boolean;
  /** Shown (and part of the config) only when this holds. */
  when?: (s: ExplorerState) => boolean;
}

export interface ControlGroup {
  title: string;
  controls: Control[];
}

export const SWEEP_KEYS = ['alpha', 'alpha0', 'eta', 'lambda', 'psi'] as const;
export type SweepKey = (typeof SWEEP_KEYS)[number];
/** The config key of each sweep key. */
export const SWEEP_CONFIG_KEY: Record<SweepKey, string> = { alpha: 'alpha', alpha0: 'alpha0', eta: 'step.eta', lambda: 'ridge.lambda', psi: 'psi' };
/** Axis titles in the papers' notation. */
export const SWEEP_TITLE: Record<SweepKey, string> = {
  alpha: 'α = n/d (samples in the readout batch)',
  alpha0: 'α₀ = n₀/d (samples in the gradient step)',
  eta: 'η (learning rate, units of step.scaling)',
  lambda: 'λ (ridge penalty)',
  psi: 'ψ = N/d (width)',
};
/** Default range of each x axis (from, to). */
export const SWEEP_RANGE: Record<SweepKey, [number, number]> = { alpha: [0.2, 4], alpha0: [0.05, 2], eta: [0, 4], lambda: [0.001, 1], psi: [0.2, 4] };

const ACTS = BUILTIN_ACTIVATION_NAMES;
const isPower = (s: ExplorerState): boolean => s.values['step.scaling'] === 'power';

/** The one-step config's controls, grouped (defaults: Cui et al. 2024's sRF learning-curve setting). */
export const CONFIG_GROUPS: ControlGroup[] = [
  {
    title: 'Sizes (ratios to d)',
    controls: [
      { key: 'alpha', label: 'α = n/d', help: 'alpha: samples of the ridge readout per input dimension (n = round(α d))', kind: 'slider', default: 2, min: 0.05, max: 6, step: 0.01, config: true },
      { key: 'alpha0', label: 'α₀ = n₀/d', help: 'alpha0: samples of the gradient step per input dimension (n0 = round(α₀ d))', kind: 'slider', default: 0.5, min: 0, max: 4, step: 0.01, config: true },
      { key: 'psi', label: 'ψ = N/d', help: 'psi: hidden units per input dimension (width N = round(ψ d))', kind: 'slider', default: 1, min: 0.05, max: 4, step: 0.01, config: true },
      { key: 'd', label: 'd', help: 'd: input dimension (the theory keeps the finite N of the mean direction; simulations run at this d)', kind: 'number', default: 1000, min: 1, integer: true, config: true },
    ],
  },
  {
    title: 'Student and teacher',
    controls: [
      { key: 'student.activation', label: 'σ (student)', help: 'student.activation: a registry name, poly:c0,c1,... or hermite:c0,c1,...', kind: 'text', default: 'tanh', suggestions: ACTS, config: true },
      { key: 'teacher.link', label: 'σ⋆ (teacher link)', help: 'teacher.link: the single-index link y = σ⋆(⟨β⋆, x⟩) + √Δ ξ', kind: 'text', default: 'tanh', suggestions: ACTS, config: true },
      { key: 'teacher.noise', label: 'Δ (label noise)', help: 'teacher.noise: label-noise variance Δ', kind: 'slider', default: 0, min: 0, max: 2, step: 0.01, config: true },
    ],
  },
  {
    title: 'Gradient step',
    controls: [
      { key: 'step.eta', label: 'η (η̃ for √N scaling)', help: 'step.eta: learning rate in the units of step.scaling (sqrtN: η_eff = η̃ √N)', kind: 'slider', default: 1, min: 0, max: 6, step: 0.01, config: true },
      { key: 'step.scaling', label: 'step scaling', help: 'step.scaling: "one" (small step, η_eff = η), "sqrtN" (large step, η_eff = η √N), "power" (η N^exponent)', kind: 'select', default: 'sqrtN', options: ['sqrtN', 'one', 'power'], config: true },
      { key: 'step.exponent', label: 'exponent ℓ (η N^ℓ)', help: 'step.exponent: only with step.scaling "power"', kind: 'number', default: 0.5, step: 0.05, config: true, when: isPower },
      { key: 'step.steps', label: 'steps', help: 'step.steps: gradient steps on W (the theory covers 0 or 1)', kind: 'number', default: 1, min: 0, max: 20, integer: true, config: true },
      { key: 'step.batches', label: 'batches', help: 'step.batches: a fresh batch per step or the same batch reused', kind: 'select', default: 'fresh', options: ['fresh', 'reuse'], config: true },
      { key: 'step.trainReadout', label: 'train readout in the step', help: 'step.trainReadout: also update a during the step(s)', kind: 'checkbox', default: false, config: true },
    ],
  },
  {
    title: 'Initialisation',
    controls: [
      { key: 'init.W', label: 'W₀', help: 'init.W: "sphere" (unit columns, Cui et al.) or "gaussian" (entries N(0, 1/d), Ba et al.)', kind: 'select', default: 'sphere', options: ['sphere', 'gaussian'], config: true },
      { key: 'init.a', label: 'a₀', help: 'init.a: "constant" a_i = 1/√N, "gaussian" N(0, 1/N), "rademacher" ±1/√N', kind: 'select', default: 'constant', options: ['constant', 'gaussian', 'rademacher'], config: true },
    ],
  },
  {
    title: 'Readout (ridge)',
    controls: [
      { key: 'ridge.lambda', label: 'λ', help: 'ridge.lambda: ridge penalty of the readout', kind: 'slider', default: 0.01, min: 1e-5, max: 100, log: true, config: true },
      { key: 'ridge.normalization', label: 'penalty normalisation', help: 'ridge.normalization: "sum" (λ |a|², λ N/n in the mean convention) or "mean"', kind: 'select', default: 'sum', options: ['sum', 'mean'], config: true },
      { key: 'ridge.intercept', label: 'intercept', help: 'ridge.intercept: fit an unpenalised intercept', kind: 'checkbox', default: false, config: true },
    ],
  },
  {
    title: 'Theory',
    controls: [
      { key: 'theory.method', label: 'method', help: 'theory.method: "auto" (Gaussian equivalent for no/small step, sRF for the large step) or forced', kind: 'select', default: 'auto', options: ['auto', 'gaussian-equivalent', 'srf', 'random-features'], config: true },
      { key: 'theory.spectrum', label: 'spectrum', help: 'theory.spectrum: "mp" (asymptotic); "sampled" draws W1 and needs the CLI (a linear-algebra backend)', kind: 'select', default: 'mp', options: ['mp', 'sampled'], config: true },
      { key: 'model', label: 'model', help: 'model: "network" (the two-layer network) or "srf" (the spiked random-features model)', kind: 'select', default: 'network', options: ['network', 'srf'], config: true },
    ],
  },
  {
    title: 'Simulation',
    controls: [
      { key: 'nTest', label: 'n_test', help: 'nTest: fresh test inputs (Monte Carlo risk only)', kind: 'number', default: 10000, min: 1, integer: true, config: true },
      { key: 'risk.method', label: 'risk', help: 'risk.method: "exact" population risk or "monte-carlo" on n_test inputs', kind: 'select', default: 'exact', options: ['exact', 'monte-carlo'], config: true },
      { key: 'precision', label: 'precision', help: 'precision: float64 or float32 linear algebra', kind: 'select', default: 'float64', options: ['float64', 'float32'], config: true },
      { key: 'seed', label: 'seed', help: 'seed: first seed (seed repetitions use seed, seed + 1, ...)', kind: 'number', default: 0, min: 0, integer: true, config: true },
      { key: 'report.baselines', label: 'simulate baselines', help: 'report.baselines: also simulate random features and linear ridge', kind: 'checkbox', default: true, config: true },
      { key: 'report.anatomy', label: 'report anatomy', help: 'report.anatomy: singular values and alignments of the step', kind: 'checkbox', default: true, config: true },
      { key: 'seeds', label: 'seeds per point', help: 'seeds per simulated point (the server caps it)', kind: 'number', default: 2, min: 1, max: 16, integer: true, config: false },
      { key: 'simPoints', label: 'simulated points', help: 'simulated points along the x axis (evenly spaced over its range)', kind: 'number', default: 4, min: 1, max: 32, integer: true, config: false },
    ],
  },
];

/** Controls of the x axis and the plotted quantity. */
export const AXIS_CONTROLS: Control[] = [
  { key: 'x', label: 'x axis', help: 'the swept key (featlearn theory --sweep key=from:to:points)', kind: 'select', default: 'alpha', options: SWEEP_KEYS, config: false },
  { key: 'from', label: 'from', help: 'first value of the sweep', kind: 'number', default: SWEEP_RANGE.alpha[0], config: false },
  { key: 'to', label: 'to', help: 'last value of the sweep', kind: 'number', default: SWEEP_RANGE.alpha[1], config: false },
  { key: 'points', label: 'points', help: 'number of evenly spaced sweep values', kind: 'number', default: 40, min: 2, max: 400, integer: true, config: false },
  { key: 'y', label: 'y axis', help: 'plotted quantity: test error (risk), train error, or test MSE', kind: 'select', default: 'risk', options: ['risk', 'trainError', 'testMSE'], config: false },
  { key: 'logY', label: 'log y', help: 'logarithmic y axis', kind: 'checkbox', default: false, config: false },
];

/** Multi-index view (the dynamics config of `featlearn threshold`). */
export const MI_CONTROLS: Control[] = [
  { key: 'mi.link', label: 'g (target)', help: 'teacher.link of the multi-index target: a built-in target or an activation applied to z₁', kind: 'text', default: 'phase-retrieval', suggestions: [...BUILTIN_TARGET_NAMES, ...ACTS], config: false },
  { key: 'mi.k', label: 'k (latent dim.)', help: 'teacher.k (0: the target\'s default)', kind: 'number', default: 0, min: 0, max: 6, integer: true, config: false },
  { key: 'mi.width', label: 'm (width)', help: 'width: hidden units m of the network', kind: 'number', default: 1, min: 1, max: 8, integer: true, config: false },
  { key: 'mi.activation', label: 'σ (student)', help: 'student.activation', kind: 'text', default: 'tanh', suggestions: ACTS, config: false },
  { key: 'mi.noise', label: 'Δ (label noise)', help: 'teacher.noise', kind: 'number', default: 0, min: 0, step: 0.05, config: false },
  { key: 'mi.loss', label: 'loss', help: 'training.loss: the square loss gives unbounded Hessian weights (no δ_NN); log-cosh and Huber have one', kind: 'select', default: 'logcosh', options: ['square', 'huber', 'logcosh'], config: false },
  { key: 'mi.from', label: 'δ from', help: 'first δ = n/d of the Hessian plot', kind: 'number', default: 0.5, min: 0, config: false },
  { key: 'mi.to', label: 'δ to', help: 'last δ of the Hessian plot', kind: 'number', default: 64, min: 0, config: false },
];

export const VIEWS = ['curve', 'anatomy', 'multi'] as const;
export type View = (typeof VIEWS)[number];

export const ALL_CONTROLS: Control[] = [...CONFIG_GROUPS.flatMap((g) => g.controls), ...AXIS_CONTROLS, ...MI_CONTROLS];
export const CONTROL_BY_KEY = new Map(ALL_CONTROLS.map((c) => [c.key, c]));

export interface ExplorerState {
  values: Record<string, Value>;
  view: View;
}

export function defaultState(): ExplorerState {
  return { values: Object.fromEntries(ALL_CONTROLS.map((c) => [c.key, c.default])), view: 'curve' };
}

/** Reads a value of control `c` from text (URL or input); undefined when unreadable. */
export function parseValue(c: Control, text: string): Value | undefined {
  if (c.kind === 'checkbox') return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : undefined;
  if (c.kind === 'select') return c.options?.includes(text) ? text : undefined;
  if (c.kind === 'text') return text;
  const v = Number(text);
  return text.trim() !== '' && Number.isFinite(v) ? v : undefined;
}

/** The URL query of a state (non-default values only). */
export function toQuery(s: ExplorerState): string {
  const q = new URLSearchParams();
  if (s.view !== 'curve') q.set('view', s.view);
  for (const c of ALL_CONTROLS) {
    const v = s.values[c.key];
    if (v !== c.default) q.set(c.key, String(v));
  }
  return q.toString();
}

/** The state of a URL query; unreadable values are reported, not dropped silently. */
export function fromQuery(query: string): { state: ExplorerState; problems: string[] } {
  const s = defaultState();
  const problems: string[] = [];
  const q = new URLSearchParams(query);
  for (const [k, text] of q) {
    if (k === 'view') {
      if ((VIEWS as readonly string[]).includes(text)) s.view = text as View;
      else problems.push(`view: expected one of ${VIEWS.join(' | ')}, got "${text}"`);
      continue;
    }
    const c = CONTROL_BY_KEY.get(k);
    if (!c) {
      problems.push(`${k}: unknown key in the link (ignored)`);
      continue;
    }
    const v = parseValue(c, text);
    if (v === undefined) problems.push(`${k}: cannot read "${text}" (ignored)`);
    else s.values[k] = v;
  }
  return { state: s, problems };
}

function setPath(root: Record<string, unknown>, dotted: string, value: unknown): void {
  const path = dotted.split('.');
  let node = root;
  for (const p of path.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** The config controls that enter the config in this state, with their values (dotted keys). */
export function configEntries(s: ExplorerState): [string, Value][] {
  return CONFIG_GROUPS.flatMap((g) => g.controls)
    .filter((c) => c.config && (!c.when || c.when(s)))
    .map((c) => [c.key, s.values[c.key]] as [string, Value]);
}

/** The raw one-step config of a state (every config control, as the CLI would receive it). */
export function rawConfig(s: ExplorerState): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [k, v] of configEntries(s)) setPath(root, k, v);
  return root;
}

/** The x-axis grid: `points` values from `from` to `to`, as `featlearn theory --sweep` spaces them. */
export function sweepValues(from: number, to: number, count: number): number[] {
  return count === 1 ? [from] : Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

export function sweepOf(s: ExplorerState): { key: SweepKey; values: number[]; from: number; to: number; points: number } {
  const key = s.values.x as SweepKey;
  const from = Number(s.values.from);
  const to = Number(s.values.to);
  const points = Math.max(1, Math.round(Number(s.values.points)));
  return { key, from, to, points, values: sweepValues(from, to, points) };
}

/** The raw dynamics config of the multi-index view (src/models/dynamics-config.ts). */
export function rawDynamicsConfig(s: ExplorerState): Record<string, unknown> {
  const v = s.values;
  const k = Number(v['mi.k']);
  return {
    width: v['mi.width'],
    student: { activation: v['mi.activation'] },
    teacher: { link: v['mi.link'], noise: v['mi.noise'], ...(k > 0 ? { k } : {}) },
    training: { loss: v['mi.loss'] },
    delta: Number(v['mi.to']) > 0 ? Number(v['mi.to']) : 1,
  };
}
