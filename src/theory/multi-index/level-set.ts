/**
 * Conditional expectations E[q(t) | h(t) = y] for a scalar latent variable t with density p on an
 * interval and a deterministic map y = h(t), by the change of variables over the level set
 * {t : h(t) = y} (the co-area formula in one dimension):
 *
 *   E[q(t) | y] = sum_r q(t_r) p(t_r) / |h'(t_r)|  /  sum_r p(t_r) / |h'(t_r)|,   h(t_r) = y,
 *
 * plus atoms: on an interval where h is constant, y takes that value with positive probability and
 * E[q | y] is the average of q over the interval(s). The real line is cut into monotone pieces at the
 * kinks of h, the roots of h' (found on a grid of spacing `gridStep` inside |t| <= `scanHalfWidth` and
 * refined by Brent's method; outside, h is assumed monotone — documented limit) and the support ends;
 * preimages are found by Brent on each piece.
 *
 * Outer expectations E_y[F(E[q | y])] are integrals over t (E_y F(y) = E_t F(h(t))), by Gauss–Legendre
 * panels of width <= `panelWidth` on each piece, additionally cut where h(t) equals a critical value of
 * another piece (there the integrand has a kink). The rule is run with `order` and 2 `order` points per
 * panel; the difference is the error estimate. Used for single-index links (t = z1 ~ N(0, 1)) and radial
 * targets (t = |z| ~ chi_k). Cost: (panels * order) nodes, each one Brent solve per monotone piece.
 */
import { brent } from '../../numerics/roots.js';
import { gaussLegendre } from '../../numerics/gaussLegendre.js';
import { NumericsError } from '../../numerics/errors.js';

export interface LevelSetProblem {
  /** y = h(t). */
  h: (t: number) => number;
  /** h'(t) (a.e.); central differences when omitted. */
  dh?: (t: number) => number;
  /** Density of t on the support. */
  density: (t: number) => number;
  /** [lo, hi], finite (the density is negligible outside). */
  support: readonly [number, number];
  /** Points where h or h' is not smooth. */
  kinks?: readonly number[];
  /** The functions whose conditional means are wanted. */
  q: (t: number) => number[];
  /** Largest |t| scanned for critical points (default 12). */
  scanHalfWidth?: number;
  gridStep?: number;
  panelWidth?: number;
}

interface Piece {
  lo: number;
  hi: number;
  hLo: number;
  hHi: number;
  flat: boolean;
}

export interface Atom {
  y: number;
  mass: number;
  moments: number[];
}

/** One node of the outer rule: weight, label value and the conditional moments there. */
export interface LevelNode {
  weight: number;
  y: number;
  moments: number[];
}

export class LevelSet {
  readonly pieces: Piece[];
  readonly atoms: Atom[];
  private readonly dh: (t: number) => number;
  private readonly nq: number;

  constructor(readonly problem: LevelSetProblem) {
    const { h, support } = problem;
    const [lo, hi] = support;
    if (!(lo < hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new NumericsError('LevelSet', `support must be a finite interval lo < hi, got [${lo}, ${hi}]`);
    this.dh =
      problem.dh ??
      ((t: number) => {
        const e = 1e-6 * Math.max(1, Math.abs(t));
        return (h(t + e) - h(t - e)) / (2 * e);
      });
    this.nq = problem.q(0.5 * (lo + hi)).length;
    this.pieces = this.findPieces();
    this.atoms = this.findAtoms();
  }

  private findPieces(): Piece[] {
    const { h, support, kinks = [] } = this.problem;
    const [lo, hi] = support;
    const L = this.problem.scanHalfWidth ?? 12;
    const step = this.problem.gridStep ?? 0.01;
    const cuts = new Set<number>([lo, hi]);
    for (const k of kinks) if (k > lo && k < hi) cuts.add(k);
    const a = Math.max(lo, -L);
    const b = Math.min(hi, L);
    const n = Math.ceil((b - a) / step);
    const sortedKinks = [...cuts].sort((x, y) => x - y);
    let tPrev = a + 1e-9;
    let dPrev = this.dh(tPrev);
    for (let i = 1; i <= n; i++) {
      const t = Math.min(b - 1e-9, a + i * step);
      const dt = this.dh(t);
      const kinkBetween = sortedKinks.some((k) => k > tPrev && k < t);
      if (dt === 0) {
        // an exact zero of h' on the grid: a cut (flat stretches give many; pieces merge them below)
        if (dPrev !== 0) cuts.add(t);
      } else if (!kinkBetween && dPrev !== 0 && dPrev > 0 !== dt > 0) {
        const r = brent(this.dh, tPrev, t, { absTol: 1e-13 });
        if (r.ok) cuts.add(r.value);
      } else if (dPrev === 0) {
        cuts.add(tPrev);
      }
      tPrev = t;
      dPrev = dt;
    }
    const c = [...cuts].sort((x, y) => x - y);
    const pieces: Piece[] = [];
    for (let i = 0; i + 1 < c.length; i++) {
      const pl = c[i];
      const ph = c[i + 1];
      if (ph - pl < 1e-12) continue;
      const e = Math.min(1e-10 * Math.max(1, Math.abs(pl), Math.abs(ph)), (ph - pl) / 4);
      const hLo = h(pl + e);
      const hHi = h(ph - e);
      // flat: h constant along the piece (checked at 5 interior points)
      let flat = true;
      for (let j = 1; j <= 5 && flat; j++) {
        const v = h(pl + ((ph - pl) * j) / 6);
        if (Math.abs(v - hLo) > 1e-12 * Math.max(1, Math.abs(hLo))) flat = false;
      }
      pieces.push({ lo: pl, hi: ph, hLo, hHi, flat: flat && Math.abs(hHi - hLo) <= 1e-12 * Math.max(1, Math.abs(hLo)) });
    }
    return pieces;
  }

  /** Panels of width <= panelWidth over [lo, hi]. */
  private panels(lo: number, hi: number, extraCuts: number[]): [number, number][] {
    const w = this.problem.panelWidth ?? 0.25;
    const cuts = [lo, hi, ...extraCuts.filter((c) => c > lo && c < hi)].sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i];
      const b = cuts[i + 1];
      if (b - a <= 1e-14) continue;
      const np = Math.max(1, Math.ceil((b - a) / w));
      for (let j = 0; j < np; j++) out.push([a + ((b - a) * j) / np, a + ((b - a) * (j + 1)) / np]);
    }
    return out;
  }

  private integrate(lo: number, hi: number, order: number, f: (t: number) => number[]): number[] {
    const out = new Array<number>(this.nq + 1).fill(0);
    const gl = gaussLegendre(order);
    for (const [a, b] of this.panels(lo, hi, [])) {
      const half = (b - a) / 2;
      const mid = (a + b) / 2;
      for (let i = 0; i < order; i++) {
        const t = mid + half * gl.nodes[i];
        const w = gl.weights[i] * half * this.problem.density(t);
        if (w === 0) continue;
        const v = f(t);
        out[0] += w;
        for (let j = 0; j < this.nq; j++) out[j + 1] += w * v[j];
      }
    }
    return out;
  }

  private findAtoms(): Atom[] {
    const atoms: Atom[] = [];
    for (const p of this.pieces) {
      if (!p.flat) continue;
      const s = this.integrate(p.lo, p.hi, 16, this.problem.q);
      if (s[0] <= 0) continue;
      const existing = atoms.find((a) => Math.abs(a.y - p.hLo) <= 1e-12 * Math.max(1, Math.abs(p.hLo)));
      if (existing) {
        const tot = existing.mass + s[0];
        existing.moments = existing.moments.map((m, j) => (m * existing.mass + s[j + 1]) / tot);
        existing.mass = tot;
      } else {
        atoms.push({ y: p.hLo, mass: s[0], moments: s.slice(1).map((v) => v / s[0]) });
      }
    }
    return atoms;
  }

  /** All t with h(t) = y on the non-flat pieces (one per piece that attains y), ascending. */
  preimages(y: number): number[] {
    const out: number[] = [];
    for (const p of this.pieces) {
      if (p.flat) continue;
      if (!(y >= Math.min(p.hLo, p.hHi) && y <= Math.max(p.hLo, p.hHi))) continue;
      const r = brent((t) => this.problem.h(t) - y, p.lo, p.hi, { absTol: 1e-15 });
      if (r.ok) out.push(r.value);
    }
    return out.sort((a, b) => a - b);
  }

  /** E[q(t) | h(t) = y] (module comment); throws when y is not attained. */
  conditional(y: number): number[] {
    const atom = this.atoms.find((a) => Math.abs(a.y - y) <= 1e-12 * Math.max(1, Math.abs(a.y)));
    if (atom) return atom.moments.slice();
    const { h, density, q } = this.problem;
    let den = 0;
    const num = new Array<number>(this.nq).fill(0);
    for (const p of this.pieces) {
      if (p.flat) continue;
      const ymin = Math.min(p.hLo, p.hHi);
      const ymax = Math.max(p.hLo, p.hHi);
      if (!(y >= ymin && y <= ymax)) continue;
      const r = brent((t) => h(t) - y, p.lo + 1e-14 * Math.max(1, Math.abs(p.lo)), p.hi - 1e-14 * Math.max(1, Math.abs(p.hi)), { absTol: 1e-15 });
      if (!r.ok) continue;
      const t = r.value;
      const slope = Math.abs(this.dh(t));
      if (!(slope > 0)) continue;
      const rho = density(t) / slope;
      if (!Number.isFinite(rho)) continue;
      den += rho;
      const v = q(t);
      for (let j = 0; j < this.nq; j++) num[j] += rho * v[j];
    }
    if (!(den > 0)) throw new NumericsError('LevelSet.conditional', `the label value y = ${y} has no preimage with positive density`);
    return num.map((v) => v / den);
  }

  /** Nodes of the outer rule with `order` Gauss–Legendre points per panel, plus the atoms. */
  nodes(order: number): LevelNode[] {
    const out: LevelNode[] = [];
    const crit = new Set<number>();
    for (const p of this.pieces) {
      crit.add(p.hLo);
      crit.add(p.hHi);
    }
    for (const a of this.atoms) out.push({ weight: a.mass, y: a.y, moments: a.moments });
    const gl = gaussLegendre(order);
    for (const p of this.pieces) {
      if (p.flat) continue;
      // kinks of the integrand: where h on this piece crosses a critical value of another piece
      const extra: number[] = [];
      const ymin = Math.min(p.hLo, p.hHi);
      const ymax = Math.max(p.hLo, p.hHi);
      for (const c of crit) {
        if (!(c > ymin && c < ymax)) continue;
        const r = brent((t) => this.problem.h(t) - c, p.lo, p.hi, { absTol: 1e-14 });
        if (r.ok) extra.push(r.value);
      }
      for (const [a, b] of this.panels(p.lo, p.hi, extra)) {
        const half = (b - a) / 2;
        const mid = (a + b) / 2;
        for (let i = 0; i < order; i++) {
          const t = mid + half * gl.nodes[i];
          const w = gl.weights[i] * half * this.problem.density(t);
          if (!(w > 1e-300)) continue;
          const y = this.problem.h(t);
          let moments: number[];
          try {
            moments = this.conditional(y);
          } catch (e) {
            // saturated tails (tanh(30) = 1 in double precision): negligible weight, dropped
            if (w < 1e-30) continue;
            throw e;
          }
          out.push({ weight: w, y, moments });
        }
      }
    }
    return out;
  }
}

/** Standard normal density. */
export function gaussianDensity(t: number): number {
  return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
}

/** Density of |z| for z ~ N(0, I_k) (the chi distribution with k degrees of freedom). */
export function chiDensity(k: number): (r: number) => number {
  const logC = (1 - k / 2) * Math.LN2 - logGamma(k / 2);
  return (r) => (r <= 0 ? (k === 1 ? Math.exp(logC) : 0) : Math.exp(logC + (k - 1) * Math.log(r) - 0.5 * r * r));
}

/** log Gamma(x) for x = j/2 > 0 (exact recursion from Gamma(1) = 1, Gamma(1/2) = sqrt(pi)). */
function logGamma(x: number): number {
  let v = Number.isInteger(x) ? 0 : 0.5 * Math.log(Math.PI);
  for (let s = Number.isInteger(x) ? 1 : 0.5; s < x - 1e-12; s += 1) v += Math.log(s);
  return v;
}
