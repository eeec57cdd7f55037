/**
 * A minimal PNG reader for tests (PNG spec, W3C 2003, sections 5-9): signature, IHDR, concatenated IDAT
 * inflated with node:zlib, scanline filters 0-4 undone. 8-bit RGB/RGBA only (what resvg writes).
 * Written here so that the checks of rendered figures do not depend on the renderer that produced them.
 */
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  /** Row-major samples, `channels` per pixel. */
  data: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export function decodePng(buf: Uint8Array): DecodedPng {
  for (let i = 0; i < 8; i++) if (buf[i] !== SIGNATURE[i]) throw new Error('not a PNG: bad signature');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  let sawEnd = false;
  while (pos < buf.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...buf.subarray(pos + 4, pos + 8));
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      const bitDepth = body[8];
      const colorType = body[9];
      if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6)) throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    pos += 12 + len;
  }
  if (!sawEnd || width === 0) throw new Error('truncated PNG');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG data length ${raw.length}, expected ${height * (stride + 1)}`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= channels ? out[y * stride + i - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? out[(y - 1) * stride + i - channels] : 0;
      let v: number;
      if (f === 0) v = x;
      else if (f === 1) v = x + a;
      else if (f === 2) v = x + b;
      else if (f === 3) v = x + ((a + b) >> 1);
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new Error(`bad PNG filter ${f} in row ${y}`);
      out[y * stride + i] = v & 255;
    }
  }
  return { width, height, channels, data: out };
}

/** Fraction of pixels in the rectangle [x0, x1) x [y0, y1) darker than `threshold` (mean of RGB). */
export function darkFraction(png: DecodedPng, x0: number, y0: number, x1: number, y1: number, threshold = 128): number {
  let dark = 0;
  let total = 0;
  for (let y = Math.max(0, y0); y < Math.min(png.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(png.width, x1); x++) {
      const i = (y * png.width + x) * png.channels;
      if ((png.data[i] + png.data[i + 1] + png.data[i + 2]) / 3 < threshold) dark++;
      total++;
    }
  }
  return total === 0 ? 0 : dark / total;
}

/** Number of distinct RGB colours (capped scan). */
export function distinctColors(png: DecodedPng): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += png.channels) seen.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  return seen.size;
}
