import { describe, expect, it } from 'vitest';
import { philox4x32 } from '../../src/random/philox.js';
import { loadNativeRandom } from '../../src/random/native.js';

// Known-answer vectors for philox4x32 with 10 rounds from the Random123 distribution's kat_vectors file
// (D. E. Shaw Research), as quoted in DEShawResearch/fs123 core123/ut/ut_philox.cpp:
// columns: counter c0 c1 c2 c3, key k0 k1, expected output words 0..3.
const KAT: readonly (readonly number[])[] = [
  [0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
];

const native = loadNativeRandom();

describe('Philox4x32-10', () => {
  it('matches the Random123 known-answer vectors (TypeScript)', () => {
    const out = new Uint32Array(4);
    for (const [c0, c1, c2, c3, k0, k1, ...want] of KAT) {
      philox4x32(k0, k1, c0, c1, c2, c3, out);
      expect([...out]).toEqual(want);
    }
  });

  it.skipIf(!native.ok)('matches the Random123 known-answer vectors (native)', () => {
    if (!native.ok) return;
    for (const [c0, c1, c2, c3, k0, k1, ...want] of KAT) {
      expect([...native.addon.randomPhilox(k0, k1, c0, c1, c2, c3)]).toEqual(want);
    }
  });

  it.skipIf(!native.ok)('native SIMD lanes equal the TypeScript scalar Philox, also across j = 2^32', () => {
    if (!native.ok) return;
    const out = new Uint32Array(4);
    const keys = [[0, 0], [0xdeadbeef, 0x12345678], [0xffffffff, 1]];
    const starts = [0, 5, 2 ** 32 - 7, 123456789012, 2 ** 52 - 3];
    for (const [k0, k1] of keys) {
      for (const j0 of starts) {
        const lanes = native.addon.randomPhiloxLanes(k0, k1, j0, 3, 0x6e6f726d);
        const nLanes = lanes.length / 4;
        expect(nLanes).toBeGreaterThanOrEqual(1);
        for (let l = 0; l < nLanes; l++) {
          const j = j0 + l;
          philox4x32(k0, k1, j % 2 ** 32, Math.floor(j / 2 ** 32), 3, 0x6e6f726d, out);
          expect([...lanes.subarray(4 * l, 4 * l + 4)]).toEqual([...out]);
        }
      }
    }
  });

  it.skipIf(!native.ok)('TypeScript and native agree on 20000 random counters and keys', () => {
    if (!native.ok) return;
    const out = new Uint32Array(4);
    let s = 0x9e3779b9;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (let t = 0; t < 20000; t++) {
      const w = [next(), next(), next(), next(), next(), next()];
      philox4x32(w[0], w[1], w[2], w[3], w[4], w[5], out);
      const n = native.addon.randomPhilox(w[0], w[1], w[2], w[3], w[4], w[5]);
      if (n[0] !== out[0] || n[1] !== out[1] || n[2] !== out[2] || n[3] !== out[3]) {
        expect([...n], `words ${w.join(',')}`).toEqual([...out]);
      }
    }
  });
});
