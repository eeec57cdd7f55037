/**
 * Reproducible figures (issue 6): the registry (registry.ts), the runner (run.ts), plots (plot.ts) and
 * the files of `featlearn reproduce` (output.ts, Node-only).
 */
export { FIGURES, getFigure } from './registry.js';
export { runFigure, figurePointCount } from './runner.js';
export { runDynamicsFigure, dynamicsPointCount } from './run-dynamics.js';
export { runHessianFigure } from './run-hessian.js';
export { runGrokkingFigure } from './run-grokking.js';
export { runDependenceFigure } from './run-dependence.js';
export { nnThreshold, initialBottom, initialHessianLaw, type NNThreshold, type NNOptions } from './nn-threshold.js';
export { runCurveFigure, simulatedPointCount, mergeConfig, theoryGrid, type FigurePoint, type FigureLine, type FigureAgreement, type FigureResult, type RunFigureOptions } from './run.js';
export { figurePlot, figureResultSpec } from './plot.js';
export { figureCsv, figureReport, writeFigureFiles, type WrittenFiles } from './output.js';
export { QUANTITIES, type QuantityDef } from './quantities.js';
export type * from './types.js';
