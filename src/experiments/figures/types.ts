/**
 * Declarative figure descriptions (issue 6, "Figures"; STYLE.md 7: experiments are data run by one
 * runner). A curve figure is panels of one quantity against one swept config key, with theory lines,
 * simulation markers for each simulated model and reference lines; its quick and full settings say d,
 * the seeds and which x values are simulated. Browser-safe: plain data and types.
 */
import type { ExperimentConfigInput } from '../../models/experiment-config.js';
import type { SrfSweepKey } from '../../theory/index.js';

export type FigureMode = 'quick' | 'full';

/** The quantities a curve figure can plot (src/experiments/figures/quantities.ts). */
export type FigureQuantity = 'risk' | 'overlapBeta' | 'topW1' | 'topGradient';

export type SimulatedModel = 'network' | 'srf';

export type ReferenceLine = 'randomFeatures' | 'linearFloor' | 'nullRisk';

export interface ModeSettings {
  /** Input dimension (width, n0, n follow from the ratios of the panel config). */
  d: number;
  /** Seeds per simulated point (seeds 0 .. seeds - 1). */
  seeds: number;
  /** x values simulated in every panel and series (theory is drawn on `theoryPoints` values). */
  x: number[];
  /** Number of theory points along x (between the panel's xRange ends; default 41). */
  theoryPoints?: number;
  /** Models simulated (default: the panel's). */
  models?: SimulatedModel[];
  /** Keep only these series (labels) in this mode (default: all). */
  series?: string[];
}

/** One line/marker family of a panel: config overrides applied on top of the panel's base. */
export interface CurveSeries {
  label: string;
  config: ExperimentConfigInput;
}

export interface CurvePanel {
  id: string;
  title: string;
  /** The panel's config (ratios; d comes from the mode). */
  base: ExperimentConfigInput;
  sweep: SrfSweepKey;
  /** Theory range along x (the simulated x values come from the mode). */
  xRange: [number, number];
  xTitle: string;
  xLog?: boolean;
  yLog?: boolean;
  quantity: FigureQuantity;
  /** Series (at least one). */
  series: CurveSeries[];
  models: SimulatedModel[];
  references: ReferenceLine[];
}

/** Agreement rule of a figure: |theory - mean| <= sems * sem + relative * |theory| at every simulated point. */
export interface Tolerance {
  sems: number;
  relative: number;
  /** Why these numbers (finite-size corrections, seeds). */
  reason: string;
  /**
   * An absolute allowance added to the rule (for quantities whose theory is 0 on one side of a transition,
   * e.g. an eigenvector overlap below the threshold, where the finite-d value is O(d^(-1/3)) > 0).
   */
  absolute?: number;
}

/**
 * A histogram panel of a curve figure: every singular value of the first-layer matrix after the step
 * (simulate with fullSpectrum), seeds pooled, with the predicted Marchenko–Pastur bulk of the singular
 * values and the BBP spike and bulk edge (src/theory/anatomy.ts) as vertical lines.
 */
export interface SpectrumHistogram {
  id: string;
  title: string;
  /** The config (d comes from the mode). */
  base: ExperimentConfigInput;
  /** Matrix whose singular values are shown. */
  matrix: 'W1';
  /** Seeds pooled per mode. */
  seeds: Record<FigureMode, number>;
}

export interface CurveFigure {
  kind: 'curve';
  /** Singular-value histograms shown after the curve panels (optional). */
  histograms?: SpectrumHistogram[];
  id: string;
  title: string;
  /** Paper and arXiv id. */
  paper: string;
  /** What the figure shows and which claim it confirms (two sentences; in report.md and docs). */
  caption: string;
  colorTitle: string;
  panels: CurvePanel[];
  quick: ModeSettings;
  full: ModeSettings;
  /** Per-mode x values for panels whose sweep differs (panel id -> x), overriding ModeSettings.x. */
  panelX?: Record<string, Partial<Record<FigureMode, number[]>>>;
  tolerance: Record<FigureMode, Tolerance>;
}

/** A registered figure whose engine has not landed yet: `reproduce` explains and exits. */
export interface PendingFigure {
  kind: 'pending';
  id: string;
  title: string;
  paper: string;
  caption: string;
  /** What is missing (shown as the error). */
  needs: string;
}

/**
 * A gradient-descent figure (multi-index.md section 6): an outcome of `runDynamicsSeeds`
 * (src/simulate/dynamics) against a swept dynamics key, one series per config variant, with the
 * thresholds of `thresholds()` (src/theory/multi-index) as vertical lines. There is no theory curve for
 * the plotted outcome, so the agreement is not measured in standard errors; the report says so.
 */
export interface DynamicsPanel {
  id: string;
  title: string;
  /** Dynamics config (d comes from the mode). */
  base: Record<string, unknown>;
  /** Swept top-level key of the dynamics config (e.g. "delta"). */
  sweep: 'delta';
  xRange: [number, number];
  xTitle: string;
  /** Outcome plotted: the squared largest principal cosine between span(W) and span(Theta*). */
  quantity: 'finalTopCosine2';
  yTitle: string;
  series: { label: string; config: Record<string, unknown> }[];
  /** Vertical lines from thresholds(): delta_alg (cheap); delta_NN is computed only when listed. */
  thresholds: ('deltaAlg' | 'deltaNN')[];
  /** Series whose delta_NN is computed (default: all; Monte Carlo at k + m > 3 takes minutes). */
  nnSeries?: string[];
}

export interface DynamicsFigure {
  kind: 'dynamics';
  id: string;
  title: string;
  paper: string;
  caption: string;
  colorTitle: string;
  panels: DynamicsPanel[];
  quick: ModeSettings;
  full: ModeSettings;
}

/**
 * The Hessian spectrum at the initial point (multi-index.md section 6, `mw2026-hessian`): histograms of all
 * eigenvalues (dense Hessian, small d) at a delta below and one above delta_NN with the predicted bulk edge
 * and outlier (hessianLaw / bottomPrediction of src/theory/multi-index), and the bottom eigenvalue and
 * the Theta* overlap of its eigenvector by Lanczos at a larger d against delta, beside the prediction.
 */
export interface HessianModeSettings {
  /** d of the Lanczos panels. */
  d: number;
  seeds: number;
  /** Deltas simulated by Lanczos. */
  x: number[];
  /** d of the dense histograms (at most DENSE_HESSIAN_MAX_PARAMETERS / width parameters). */
  histogramD: number;
  /** Seeds pooled in each histogram. */
  histogramSeeds: number;
  /** Theory points along delta (log-spaced on xRange, plus delta_NN and the simulated deltas). */
  theoryPoints: number;
}

export interface HessianFigure {
  kind: 'hessian';
  id: string;
  title: string;
  paper: string;
  caption: string;
  colorTitle: string;
  /** Dynamics config of the setting (d and delta come from the mode). */
  base: Record<string, unknown>;
  /** Deltas of the two histograms: one below and one above delta_NN. */
  histogramDeltas: [number, number];
  /** Range of delta of the Lanczos panels. */
  xRange: [number, number];
  /** Number of bottom eigenpairs computed by Lanczos. */
  lanczosK: number;
  quick: HessianModeSettings;
  full: HessianModeSettings;
  tolerance: Record<FigureMode, { eigenvalue: Tolerance; overlap: Tolerance }>;
}

/**
 * Train and test loss against time (multi-index.md section 6, `mw2026-grokking`): gradient descent at a
 * few deltas above delta_NN, mean and standard error over seeds at the recorded times, the largest
 * principal cosine², and the escape time from the plateau; delta_NN of the setting in the caption and
 * report. No theory curve (the agreement is not measured).
 */
export interface GrokkingModeSettings {
  d: number;
  seeds: number;
  /** Deltas (one series each). */
  x: number[];
  steps: number;
  /** Recorded (log-spaced) times. */
  record: number;
}

export interface GrokkingFigure {
  kind: 'grokking';
  id: string;
  title: string;
  paper: string;
  caption: string;
  colorTitle: string;
  base: Record<string, unknown>;
  quick: GrokkingModeSettings;
  full: GrokkingModeSettings;
}

/**
 * delta_NN against the width m, one series per activation, beside delta_alg (multi-index.md section 6,
 * `mw2026-dependence`): theory only (our reconstruction at the initial point); a failure (no bulk edge,
 * unbounded weights) is reported with its reason and is not a number.
 */
export interface DependenceModeSettings {
  /** Widths per activation (activation -> m values). */
  widths: Record<string, number[]>;
  /** Relative tolerance of the delta_NN bisection. */
  relTol: number;
  /** Monte Carlo draws when k + m > 3. */
  samples: number;
}

export interface DependenceFigure {
  kind: 'dependence';
  id: string;
  title: string;
  paper: string;
  caption: string;
  colorTitle: string;
  base: Record<string, unknown>;
  activations: string[];
  quick: DependenceModeSettings;
  full: DependenceModeSettings;
}

export type RunnableFigure = CurveFigure | DynamicsFigure | HessianFigure | GrokkingFigure | DependenceFigure;

export type FigureDefinition = RunnableFigure | PendingFigure;
