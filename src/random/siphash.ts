/**
 * SipHash-2-4 (Aumasson & Bernstein 2012, "SipHash: a fast short-input PRF", INDOCRYPT 2012), the
 * 64-bit hash that turns a string label into the 64 bits foldIn mixes into a key. Written with BigInt:
 * labels are short and hashed once per foldIn, so clarity wins over speed here.
 */

const MASK = 0xffffffffffffffffn;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

/**
 * SipHash-2-4 of `message` under the 128-bit key (k0, k1) (each a 64-bit little-endian word, as in the
 * reference implementation where the key bytes are k0 then k1). Returns the 64-bit tag.
 */
export function siphash24(k0: bigint, k1: bigint, message: Uint8Array): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & MASK;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & MASK;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & MASK;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const n = message.length;
  const full = n - (n % 8);
  const block = (start: number, count: number): bigint => {
    let m = 0n;
    for (let i = count - 1; i >= 0; i--) m = (m << 8n) | BigInt(message[start + i]);
    return m;
  };
  for (let i = 0; i < full; i += 8) {
    const m = block(i, 8);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  // Last block: the remaining bytes, with the length (mod 256) in the top byte.
  const last = block(full, n - full) | (BigInt(n & 0xff) << 56n);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return (v0 ^ v1 ^ v2 ^ v3) & MASK;
}
