/**
 * The plotted quantities of curve figures: for each, the axis title, the theory's value
 * (src/theory/index.ts TheoryPoint) and the row of `comparePoint` (src/experiments/compare.ts) that
 * holds the simulation's value; `anatomy` says whether the simulation must report the step's anatomy.
 */
import type { TheoryPoint } from '../../theory/index.js';
import type { FigureQuantity } from './types.js';

export interface QuantityDef {
  title: string;
  /** Quantity name in CompareRow.quantity. */
  compareRow: string;
  theory: (p: TheoryPoint) => number | null;
  anatomy: boolean;
}

export const QUANTITIES: Record<FigureQuantity, QuantityDef> = {
  risk: { title: 'test error (population risk)', compareRow: 'risk', theory: (p) => p.risk, anatomy: false },
  overlapBeta: {
    title: 'overlap ⟨v₁, β*⟩² of W₁',
    compareRow: 'alignment.W1Beta',
    theory: (p) => (p.anatomy && !p.anatomy.noStep ? p.anatomy.overlapBeta2 : null),
    anatomy: true,
  },
  topW1: {
    title: 'top singular value of W₁',
    compareRow: 'spectrum.largest.W1',
    theory: (p) => (p.anatomy && !p.anatomy.noStep ? p.anatomy.bbp.topSingularValue : null),
    anatomy: true,
  },
  topGradient: {
    title: 'top singular value of √N G',
    compareRow: 'spectrum.largest.gradient',
    theory: (p) => (p.anatomy && !p.anatomy.noStep ? p.anatomy.gradientSpike : null),
    anatomy: true,
  },
};
