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
}

export interface CurveFigure {
  kind: 'curve';
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

export type FigureDefinition = CurveFigure | DynamicsFigure | PendingFigure;
