/**
 * Errors of the simulation engine. Everything that would otherwise come out as a silent number — a NaN or
 * an infinity in a matrix, a configuration that would not fit in memory, an option the engine does not
 * support — is thrown as a `SimulationError` naming where it happened and what to change.
 */
import type { FloatArray } from '../linalg/matrix.js';

export type SimulationErrorKind = 'non-finite' | 'memory' | 'unsupported' | 'invalid';

export class SimulationError extends Error {
  constructor(
    readonly kind: SimulationErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SimulationError';
  }
}

/**
 * Throws a SimulationError('non-finite') when `values` holds a NaN or an infinity, naming the stage
 * (`where`, e.g. "step 1: W1") and the first bad entry. O(length).
 */
export function assertFinite(where: string, values: FloatArray | readonly number[], cols?: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      const at = cols ? `entry (${Math.floor(i / cols)}, ${i % cols})` : `entry ${i}`;
      throw new SimulationError(
        'non-finite',
        `${where}: ${String(v)} at ${at}; the simulation stopped there (a step size too large for the activation, or an overflow in float32?)`,
      );
    }
  }
}

/** Throws SimulationError('non-finite') unless `v` is a finite number. */
export function assertFiniteScalar(where: string, v: number): void {
  if (!Number.isFinite(v)) throw new SimulationError('non-finite', `${where}: got ${String(v)}; the simulation stopped there`);
}
