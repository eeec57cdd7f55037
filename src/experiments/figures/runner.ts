/**
 * The one entry point that runs any registered figure: curve figures (theory against simulation,
 * run.ts), gradient-descent figures (run-dynamics.ts), the Hessian spectrum (run-hessian.ts), loss
 * trajectories (run-grokking.ts) and delta_NN against width and activation (run-dependence.ts); pending
 * figures are refused with what they need.
 */
import { ConfigError } from '../../config/validate.js';
import { runCurveFigure, simulatedPointCount, type FigureResult, type RunFigureOptions } from './run.js';
import { dynamicsPointCount, runDynamicsFigure } from './run-dynamics.js';
import { runHessianFigure } from './run-hessian.js';
import { runGrokkingFigure } from './run-grokking.js';
import { runDependenceFigure } from './run-dependence.js';
import type { FigureDefinition, FigureMode } from './types.js';

/** Runs a figure (module comment). */
export async function runFigure(def: FigureDefinition, opts: RunFigureOptions = {}): Promise<FigureResult> {
  if (def.kind === 'pending') throw new ConfigError([`${def.id}: ${def.needs}`], 'featlearn reproduce');
  switch (def.kind) {
    case 'curve':
      return runCurveFigure(def, opts);
    case 'dynamics':
      return runDynamicsFigure(def, opts);
    case 'hessian':
      return runHessianFigure(def, opts);
    case 'grokking':
      return runGrokkingFigure(def, opts);
    case 'dependence':
      return runDependenceFigure(def, opts);
  }
}

/** Simulated points of a figure in a mode (progress bars). */
export function figurePointCount(def: FigureDefinition, mode: FigureMode): number {
  switch (def.kind) {
    case 'pending':
      return 0;
    case 'curve':
      return simulatedPointCount(def, mode);
    case 'dynamics':
      return dynamicsPointCount(def, mode);
    case 'hessian':
      return def[mode].x.length * def[mode].seeds + def.histogramDeltas.length * def[mode].histogramSeeds;
    case 'grokking':
      return def[mode].x.length;
    case 'dependence':
      return Object.values(def[mode].widths).reduce((n, ms) => n + ms.length, 0);
  }
}
