/**
 * The one entry point that runs any registered figure: curve figures (theory against simulation,
 * run.ts) and gradient-descent figures (run-dynamics.ts); pending figures are refused with what they need.
 */
import { ConfigError } from '../../config/validate.js';
import { runCurveFigure, simulatedPointCount, type FigureResult, type RunFigureOptions } from './run.js';
import { dynamicsPointCount, runDynamicsFigure } from './run-dynamics.js';
import type { FigureDefinition, FigureMode } from './types.js';

/** Runs a figure (module comment). */
export async function runFigure(def: FigureDefinition, opts: RunFigureOptions = {}): Promise<FigureResult> {
  if (def.kind === 'pending') throw new ConfigError([`${def.id}: ${def.needs}`], 'featlearn reproduce');
  return def.kind === 'curve' ? runCurveFigure(def, opts) : runDynamicsFigure(def, opts);
}

/** Simulated points of a figure in a mode (progress bars). */
export function figurePointCount(def: FigureDefinition, mode: FigureMode): number {
  if (def.kind === 'pending') return 0;
  return def.kind === 'curve' ? simulatedPointCount(def, mode) : dynamicsPointCount(def, mode);
}
