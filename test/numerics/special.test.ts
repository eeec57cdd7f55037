import { describe, expect, it } from 'vitest';
import { erf, erfc } from '../../src/numerics/special.js';

/** Relative difference, falling back to absolute when the reference is 0. */
function relErr(got: number, want: number): number {
  return want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
}

// [x, erf(x), erfc(x)] produced here with python3 mpmath 1.3.0 at 40 digits:
//   mp.mp.dps = 40; print(float(mp.erf(mp.mpf(x))), float(mp.erfc(mp.mpf(x))))
const ERF_TABLE: [number, number, number][] = [
  [-5, -0.9999999999984626, 1.9999999999984626],
  [-3, -0.9999779095030014, 1.9999779095030015],
  [-1.5, -0.9661051464753108, 1.9661051464753108],
  [-1, -0.8427007929497149, 1.8427007929497148],
  [-0.5, -0.5204998778130465, 1.5204998778130465],
  [-1e-10, -1.1283791670955126e-10, 1.000000000112838],
  [0, 0.0, 1.0],
  [1e-300, 1.1283791670955126e-300, 1.0],
  [1e-9, 1.1283791670955127e-9, 0.9999999988716208],
  [0.1, 0.1124629160182849, 0.8875370839817152],
  [0.3, 0.32862675945912745, 0.6713732405408726],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [0.84, 0.7651427114549946, 0.23485728854500545],
  [0.85, 0.7706680576083526, 0.22933194239164748],
  [0.9, 0.7969082124228322, 0.20309178757716786],
  [1, 0.8427007929497149, 0.15729920705028513],
  [1.1, 0.8802050695740817, 0.1197949304259183],
  [1.24, 0.9205051842990297, 0.07949481570097033],
  [1.26, 0.9252359418101295, 0.07476405818987052],
  [2, 0.9953222650189527, 0.004677734981047266],
  [2.5, 0.999593047982555, 0.0004069520174449589],
  [2.85, 0.9999443437200386, 5.565627996139899e-5],
  [2.86, 0.9999475988269556, 5.240117304439776e-5],
  [3, 0.9999779095030014, 2.209049699858544e-5],
  [4, 0.9999999845827421, 1.541725790028002e-8],
  [5, 0.9999999999984626, 1.537459794428035e-12],
  [6, 1.0, 2.1519736712498913e-17],
  [8, 1.0, 1.1224297172982926e-29],
  [10, 1.0, 2.088487583762545e-45],
  [15, 1.0, 7.212994172451207e-100],
  [20, 1.0, 5.395865611607901e-176],
  [26, 1.0, 5.663192408856143e-296],
];

describe('erf / erfc', () => {
  it('match mpmath to 1e-14 relative (erfc including its far tail)', () => {
    for (const [x, e, ec] of ERF_TABLE) {
      expect(relErr(erf(x), e), `erf(${x})`).toBeLessThan(1e-14);
      expect(relErr(erfc(x), ec), `erfc(${x})`).toBeLessThan(1e-14);
    }
  });
  it('odd symmetry, erf + erfc = 1, limits and NaN', () => {
    for (let x = -7; x <= 7; x += 0.137) {
      expect(erf(-x)).toBe(-erf(x));
      expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThan(2e-16);
      expect(Math.abs(erfc(-x) - (2 - erfc(x)))).toBeLessThan(4e-16);
    }
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(40)).toBe(0);
    expect(Number.isNaN(erf(NaN))).toBe(true);
    expect(Number.isNaN(erfc(NaN))).toBe(true);
  });
});
