/**
 * Standard normals by the ziggurat method (Marsaglia & Tsang 2000, J. Stat. Softw. 5(8)) with 256
 * layers, in the layout of Doornik's ZIGNOR (2005, "An improved ziggurat method to generate normal
 * random samples"): the layer index, the sign and the abscissa come from DISJOINT bits of one 64-bit
 * draw (Doornik's fix of the correlation between index and value in the original), and the base
 * layer 0 is a rectangle plus the tail. Tables: ./ziggurat-tables.ts.
 *
 * Element p of a stream draws 64-bit words w_0, w_1, ... = draw(key, p, d) (see ./layout.ts) and:
 *   i = w_d & 255, negative = bit 8 of w_d, m = w_d >> 11 (53 bits), u = m 2^-53, x = u X[i];
 *   if m < K[i]: return +-x                          (inside the rectangle: 98.5% of first draws)
 *   if i == 0 (tail beyond R; Marsaglia 1964): repeat with the next two draws a, b:
 *     s = -log(((a >> 11) + 1) 2^-53) * (1/R),  t = -log(((b >> 11) + 1) 2^-53)
 *     until 2t > s^2; return +-(R + s)
 *   else (wedge): with the next draw v: if F[i] + ((v >> 11) 2^-53)(F[i+1] - F[i]) < exp(-x^2/2)
 *     return +-x, else start over with the next draw.
 * exp and log are ./detmath.ts, identical to the native ones, so both backends agree bit for bit.
 * Cost: one 64-bit draw (half a Philox block) for 98.5% of elements, about 1.02 draws on average.
 */
import { philox4x32 } from './philox.js';
import { detExp, detLog } from './detmath.js';
import { TAG_NORMAL, TWO32, TWO_M53, top53 } from './layout.js';
import { ZIG_F, ZIG_INV_R, ZIG_K, ZIG_R, ZIG_X } from './ziggurat-tables.js';

const block = new Uint32Array(4);
/** Low and high words of the last pairedDraw (module scratch, to avoid allocating). */
let drawLo = 0;
let drawHi = 0;

/** Sets drawLo/drawHi to draw d of element p of the paired stream `tag` under key (k0, k1). */
export function pairedDraw(k0: number, k1: number, p: number, d: number, tag: number): void {
  const j = Math.floor(p / 2);
  const h = p - 2 * j;
  philox4x32(k0, k1, j % TWO32, Math.floor(j / TWO32), d, tag, block);
  drawLo = block[2 * h];
  drawHi = block[2 * h + 1];
}

/** The top 53 bits of draw d of element p of stream `tag`. */
export function pairedTop53(k0: number, k1: number, p: number, d: number, tag: number): number {
  pairedDraw(k0, k1, p, d, tag);
  return top53(drawLo, drawHi);
}

/**
 * The standard normal of stream position p, given its first draw (lo, hi) (so fills can take it from a
 * block shared by positions 2j and 2j + 1). Further draws, when needed, come from draw(key, p, d >= 1).
 */
export function normalFromDraw(k0: number, k1: number, p: number, lo: number, hi: number): number {
  let d = 1;
  for (;;) {
    const i = lo & 255;
    const negative = (lo >>> 8) & 1;
    const m = top53(lo, hi);
    const x = m * TWO_M53 * ZIG_X[i];
    if (m < ZIG_K[i]) return negative ? -x : x;
    if (i === 0) {
      for (;;) {
        const a = pairedTop53(k0, k1, p, d, TAG_NORMAL);
        const b = pairedTop53(k0, k1, p, d + 1, TAG_NORMAL);
        d += 2;
        const s = -detLog((a + 1) * TWO_M53) * ZIG_INV_R;
        const t = -detLog((b + 1) * TWO_M53);
        if (t + t > s * s) return negative ? -(ZIG_R + s) : ZIG_R + s;
      }
    }
    const v = pairedTop53(k0, k1, p, d, TAG_NORMAL);
    d += 1;
    const y = ZIG_F[i] + v * TWO_M53 * (ZIG_F[i + 1] - ZIG_F[i]);
    if (y < detExp(-0.5 * x * x)) return negative ? -x : x;
    pairedDraw(k0, k1, p, d, TAG_NORMAL);
    d += 1;
    lo = drawLo;
    hi = drawHi;
  }
}

/** The standard normal at stream position p of key (k0, k1) (one element; fills use normalFromDraw). */
export function normalAt(k0: number, k1: number, p: number): number {
  pairedDraw(k0, k1, p, 0, TAG_NORMAL);
  return normalFromDraw(k0, k1, p, drawLo, drawHi);
}
