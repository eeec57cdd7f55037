import { describe, expect, it } from 'vitest';
import { siphash24 } from '../../src/random/siphash.js';

// SipHash-2-4 reference vectors (Aumasson & Bernstein, reference implementation's vectors, also in
// the paper's appendix for length 15): key = bytes 00 01 .. 0f, message = bytes 00 01 .. (len-1),
// output read as a little-endian uint64.
const VECTORS: Record<number, bigint> = {
  0: 0x726fdb47dd0e0e31n,
  1: 0x74f839c593dc67fdn,
  7: 0xab0200f58b01d137n,
  8: 0x93f5f5799a932462n,
  15: 0xa129ca6149be45e5n,
  16: 0x3f2acc7f57c29bdbn,
  31: 0x32d892fad841c342n,
  63: 0x958a324ceb064572n,
};

describe('SipHash-2-4', () => {
  const k0 = 0x0706050403020100n;
  const k1 = 0x0f0e0d0c0b0a0908n;
  for (const [len, want] of Object.entries(VECTORS)) {
    it(`matches the reference vector for a ${len}-byte message`, () => {
      const msg = Uint8Array.from({ length: Number(len) }, (_, i) => i);
      expect(siphash24(k0, k1, msg).toString(16)).toBe(want.toString(16));
    });
  }
});
