/**
 * The portable (pure TypeScript) fills. Same stream layout (./layout.ts) and same floating-point
 * operations as native/src/random.cc, so the output is bit-identical. Arguments are validated by
 * ./fill.ts. Cost: about one Philox block per two normals or uniforms, one per 128 Rademacher signs.
 */
import type { FloatArray } from '../linalg/matrix.js';
import { philox4x32 } from './philox.js';
import { TAG_NORMAL, TAG_RADEMACHER, TAG_UNIFORM, TWO32, TWO_M53, top53 } from './layout.js';
import { normalFromDraw } from './ziggurat.js';

const block = new Uint32Array(4);

/** out[t] = mean + std * z(offset + t), z the ziggurat standard normal of that stream position. */
export function fillNormalPortable(k0: number, k1: number, out: FloatArray, offset: number, mean: number, std: number): void {
  const n = out.length;
  let cached = -1;
  for (let t = 0; t < n; t++) {
    const p = offset + t;
    const j = Math.floor(p / 2);
    if (j !== cached) {
      philox4x32(k0, k1, j % TWO32, Math.floor(j / TWO32), 0, TAG_NORMAL, block);
      cached = j;
    }
    const h = 2 * (p - 2 * j);
    out[t] = mean + std * normalFromDraw(k0, k1, p, block[h], block[h + 1]);
  }
}

/** out[t] = low + (high - low) * u(offset + t), u = (top 53 bits of the draw) * 2^-53 in [0, 1). */
export function fillUniformPortable(k0: number, k1: number, out: FloatArray, offset: number, low: number, high: number): void {
  const n = out.length;
  const width = high - low;
  let cached = -1;
  for (let t = 0; t < n; t++) {
    const p = offset + t;
    const j = Math.floor(p / 2);
    if (j !== cached) {
      philox4x32(k0, k1, j % TWO32, Math.floor(j / TWO32), 0, TAG_UNIFORM, block);
      cached = j;
    }
    const h = 2 * (p - 2 * j);
    out[t] = low + width * (top53(block[h], block[h + 1]) * TWO_M53);
  }
}

/** out[t] = +scale if bit (offset + t) of the Rademacher stream is 1, else -scale. */
export function fillRademacherPortable(k0: number, k1: number, out: FloatArray, offset: number, scale: number): void {
  const n = out.length;
  let cached = -1;
  for (let t = 0; t < n; t++) {
    const p = offset + t;
    const j = Math.floor(p / 128);
    if (j !== cached) {
      philox4x32(k0, k1, j % TWO32, Math.floor(j / TWO32), 0, TAG_RADEMACHER, block);
      cached = j;
    }
    const b = p - 128 * j;
    out[t] = (block[b >>> 5] >>> (b & 31)) & 1 ? scale : -scale;
  }
}
