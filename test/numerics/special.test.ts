import { describe, expect, it } from 'vitest';
import { erf, erfc, erfcx, erfinv, normalCdf, normalLogCdf, normalPdf, normalQuantile, normalSf } from '../../src/numerics/special.js';

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

// [x, Phi(x), log Phi(x), phi(x)] from python3 mpmath 1.3.0, mp.dps = 50: mp.ncdf, mp.log(mp.ncdf), mp.npdf.
const NORMAL_TABLE: [number, number, number, number][] = [
  [-30, 4.906713927148187e-198, -454.3212439563432, 1.4736461348785476e-196],
  [-20, 2.7536241186062337e-89, -203.91715537109727, 5.520948362159764e-88],
  [-10, 7.619853024160525e-24, -53.23128515051247, 7.694598626706419e-23],
  [-5, 2.866515718791939e-7, -15.064998393988725, 1.4867195147342977e-6],
  [-2, 0.02275013194817921, -3.783184333682032, 0.05399096651318805],
  [-1.8, 0.0359303191129258, -3.3261737963785936, 0.07895015830089415],
  [-1.7, 0.04456546275854304, -3.1107960975524813, 0.09404907737688692],
  [-1, 0.15865525393145705, -1.8410216450092636, 0.24197072451914334],
  [-1e-3, 0.49960105778608893, -0.6939453834669652, 0.39894208093034234],
  [0, 0.5, -0.6931471805599453, 0.3989422804014327],
  [0.5, 0.6914624612740131, -0.3689464152886564, 0.35206532676429947],
  [1, 0.8413447460685429, -0.17275377902344988, 0.24197072451914334],
  [3, 0.9986501019683699, -0.0013508099647481938, 0.0044318484119380075],
  [8, 0.9999999999999993, -6.220960574271786e-16, 5.052271083536892e-15],
];
// log Phi far in the tail (same mpmath recipe).
const LOGCDF_FAR: [number, number][] = [
  [-40, -804.6084420137538],
  [-100, -5005.524208694205],
  [-1000, -500007.82669481216],
  [-1e5, -5000000012.431864],
];
// erfcx(x) = exp(x^2) erfc(x), mpmath: mp.exp(x*x) * mp.erfc(x), dps = 50.
const ERFCX_TABLE: [number, number][] = [
  [-3, 16205.988853999586],
  [-0.5, 1.952360489182557],
  [0, 1.0],
  [0.5, 0.6156903441929259],
  [1.2, 0.3785374169292397],
  [1.3, 0.3576426690860903],
  [3, 0.17900115118138996],
  [10, 0.05614099274382259],
  [27, 0.02088160799042094],
  [30, 0.01879588886141675],
  [100, 0.005641613782989433],
  [1e4, 5.641895807268084e-5],
];
// Phi^{-1}(p) for the double p: mpmath findroot of mp.log(mp.ncdf(t)) - mp.log(mp.mpf(p)), dps = 60
// (checked: mp.ncdf(x)/p - 1 = 0 at 60 digits).
const QUANTILE_TABLE: [number, number][] = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.273453560965326],
  [1e-20, -9.262340089798407],
  [1e-5, -4.264890793922825],
  [0.001, -3.0902323061678136],
  [0.02, -2.053748910631823],
  [0.1, -1.2815515655446004],
  [0.3, -0.5244005127080408],
  [0.4999, -0.00025066283008800747],
  [0.5, 0.0],
  [0.7, 0.5244005127080407],
  [0.975, 1.9599639845400538],
  [0.999999, 4.753424308817087],
];
// erfinv(y) for the double y: mp.erfinv(mp.mpf(y)), dps = 50.
const ERFINV_TABLE: [number, number][] = [
  [-0.9, -1.1630871536766743],
  [-0.3, -0.2724627147267543],
  [1e-10, 8.862269254527581e-11],
  [0.01, 0.008862501280950598],
  [0.2, 0.1791434546212917],
  [0.5, 0.4769362762044699],
  [0.51, 0.4881220505159588],
  [0.9, 1.1630871536766743],
  [0.999, 2.3267537655135246],
  [0.9999999999, 4.572824958544925],
];

describe('normal distribution', () => {
  it('pdf, cdf and log-cdf match mpmath to 1e-14 relative, including the lower tail', () => {
    for (const [x, cdf, logcdf, pdf] of NORMAL_TABLE) {
      expect(relErr(normalCdf(x), cdf), `Phi(${x})`).toBeLessThan(1e-14);
      expect(relErr(normalLogCdf(x), logcdf), `log Phi(${x})`).toBeLessThan(1e-14);
      expect(relErr(normalPdf(x), pdf), `phi(${x})`).toBeLessThan(1e-14);
      expect(relErr(normalSf(-x), cdf), `sf(${-x})`).toBeLessThan(1e-14);
    }
    for (const [x, logcdf] of LOGCDF_FAR) expect(relErr(normalLogCdf(x), logcdf), `log Phi(${x})`).toBeLessThan(1e-14);
  });
  it('erfcx matches mpmath to 1e-14 relative', () => {
    for (const [x, v] of ERFCX_TABLE) expect(relErr(erfcx(x), v), `erfcx(${x})`).toBeLessThan(1e-14);
  });
  it('quantile matches mpmath and inverts the cdf', () => {
    for (const [p, x] of QUANTILE_TABLE) {
      const got = normalQuantile(p);
      expect(Math.abs(got - x), `quantile(${p})`).toBeLessThan(2e-15 * Math.max(1, Math.abs(x)));
    }
    for (let p = 1e-12; p < 1; p *= 3.7) expect(relErr(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-13);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(/p must be in \[0, 1\], got 1.5/);
  });
  it('erfinv matches mpmath and inverts erf', () => {
    for (const [y, x] of ERFINV_TABLE) expect(relErr(erfinv(y), x), `erfinv(${y})`).toBeLessThan(2e-15);
    // Round trip: erf(x) carries a rounding error of ~1 ulp, which erfinv amplifies by 1/erf'(x).
    for (let x = -4; x <= 4; x += 0.173) {
      const conditioning = (2.3e-16 * Math.max(Math.abs(erf(x)), 1e-300)) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
      expect(Math.abs(erfinv(erf(x)) - x), `x = ${x}`).toBeLessThan(2 * conditioning + 2e-16 * Math.abs(x));
    }
    expect(erfinv(1)).toBe(Infinity);
    expect(erfinv(-1)).toBe(-Infinity);
    expect(() => erfinv(-2)).toThrow(/y must be in \[-1, 1\]/);
  });
});
