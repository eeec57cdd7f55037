/**
 * Sweep files: ranges against numpy, the expansion (count, order, keys), keys that depend on the resolved
 * experiment only, and invalid files rejected with errors naming the key.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/validate.js';
import { expandSweep, pointKey, rangeValues, resolveFor } from '../../src/sweep/index.js';

function issuesOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('ranges', () => {
  // numpy 1.x: np.linspace(0.2, 3, 8).tolist(), np.geomspace(1e-4, 1, 5).tolist(), np.geomspace(0.5, 8, 5).tolist()
  const cases: [Parameters<typeof rangeValues>[0], number[]][] = [
    [{ start: 0.2, stop: 3, count: 8, scale: 'linear' }, [0.2, 0.6, 1.0, 1.4, 1.7999999999999998, 2.1999999999999997, 2.6, 3.0]],
    [{ start: 1e-4, stop: 1, count: 5, scale: 'log' }, [0.0001, 0.001, 0.01, 0.1, 1.0]],
    [{ start: 0.5, stop: 8, count: 5, scale: 'log' }, [0.5, 1.0, 2.0, 3.999999999999999, 8.0]],
  ];
  it.each(cases)('%o equals numpy to 1e-14 relative, ends exact', (r, ref) => {
    const v = rangeValues(r);
    expect(v).toHaveLength(ref.length);
    v.forEach((x, i) => expect(Math.abs(x - ref[i])).toBeLessThanOrEqual(1e-14 * Math.abs(ref[i])));
    expect(v[0]).toBe(r.start);
    expect(v[v.length - 1]).toBe(r.stop);
  });
  it('count 1 is the start', () => expect(rangeValues({ start: 2, stop: 5, count: 1, scale: 'linear' })).toEqual([2]));
});

describe('expansion', () => {
  const file = {
    command: 'theory',
    base: { d: 100, seed: 5 },
    grid: { alpha: '1:3:3', 'step.eta': [0.5, 1], 'ridge.lambda': { start: 0.01, stop: 1, count: 2, scale: 'log' } },
    seeds: 2,
  };
  const plan = expandSweep(file);

  it('is the grid product times the seeds, in order (last key fastest, seeds innermost)', () => {
    expect(plan.points).toHaveLength(3 * 2 * 2 * 2);
    expect(plan.points.map((p) => p.index)).toEqual(plan.points.map((_, i) => i));
    expect(plan.points.slice(0, 4).map((p) => [p.params.alpha, p.params['step.eta'], p.params['ridge.lambda'], p.seed])).toEqual([
      [1, 0.5, 0.01, 5],
      [1, 0.5, 0.01, 6],
      [1, 0.5, 1, 5],
      [1, 0.5, 1, 6],
    ]);
    const last = plan.points[plan.points.length - 1];
    expect(last.params).toEqual({ alpha: 3, 'step.eta': 1, 'ridge.lambda': 1 });
    expect(last.config).toMatchObject({ d: 100, alpha: 3, n: 300, seed: 6, step: { eta: 1 }, ridge: { lambda: 1 } });
    expect(new Set(plan.points.map((p) => p.key)).size).toBe(plan.points.length);
  });

  it('keys hash the resolved config: a count and the equal ratio, or an explicit default, give the same key', () => {
    const a = resolveFor('theory', { d: 100, alpha: 2, seed: 0 }, 'x');
    const b = resolveFor('theory', { d: 100, n: 200, seed: 0, step: { eta: 1 } }, 'x');
    expect(pointKey('theory', a, 0)).toBe(pointKey('theory', b, 0));
    expect(pointKey('simulate', a, 0)).not.toBe(pointKey('theory', a, 0));
    expect(pointKey('theory', { ...a, seed: 1 }, 1)).not.toBe(pointKey('theory', a, 0));
    const dup = expandSweep({ command: 'theory', base: { d: 100 }, points: [{ alpha: 2 }, { n: 200 }, { alpha: 3 }] });
    expect(dup.points).toHaveLength(2);
    expect(dup.duplicates).toBe(1);
  });

  it('list-of-points mode, times a grid when both are given; seed lists', () => {
    const p = expandSweep({ command: 'simulate', base: { d: 50 }, points: [{ alpha0: 0.5 }, { alpha0: 1, 'step.eta': 2 }], grid: { alpha: [1, 2] }, seeds: [3, 9] });
    expect(p.points).toHaveLength(2 * 2 * 2);
    expect(p.points.map((x) => x.seed)).toEqual([3, 9, 3, 9, 3, 9, 3, 9]);
    expect(p.points[4].config).toMatchObject({ alpha0: 1, alpha: 1, step: { eta: 2 }, seed: 3 });
  });

  it('dynamics configs resolve with their own schema', () => {
    const p = expandSweep({ command: 'dynamics', base: { d: 40, width: 2, training: { steps: 3 } }, grid: { delta: [2, 4] } });
    expect(p.points.map((x) => x.config.n)).toEqual([80, 160]);
  });
});

describe('invalid sweep files name the key', () => {
  const ok = { command: 'theory', base: { d: 100 } };
  it.each([
    [{ ...ok, command: 'simulation' }, /command: expected one of "simulate" \| "theory" \| "dynamics", got "simulation"/],
    [{ ...ok, grids: {} }, /unknown key "grids"/],
    [{ ...ok, grid: { alpha: { start: 1, stop: 2, count: 0 } } }, /grid\.alpha\.count: expected an integer from 1 to 100000, got 0/],
    [{ ...ok, grid: { alpha: '1:2:x' } }, /grid\.alpha: count: expected an integer/],
    [{ ...ok, grid: { 'ridge.lambda': '0:1:5:log' } }, /grid\.ridge\.lambda: scale: "log" needs start > 0/],
    [{ ...ok, grid: { alpha: { start: 1, stop: 2, count: 3, scale: 'ln' } } }, /grid\.alpha\.scale: expected one of "linear" \| "log", got "ln"/],
    [{ ...ok, grid: { alpha: [] } }, /grid\.alpha: expected a non-empty list/],
    [{ ...ok, grid: { alpha: 7 } }, /grid\.alpha: expected a list of values/],
    [{ ...ok, grid: { seed: [1, 2] } }, /grid\.seed: "seed" cannot be swept/],
    [{ ...ok, grid: { 'step..eta': [1] } }, /grid\.step\.\.eta: expected a dotted config key/],
    [{ ...ok, seeds: 0 }, /seeds/],
    [{ ...ok, seeds: [1, 1] }, /seeds: the seed list has duplicates/],
    [{ ...ok, points: [] }, /points: expected array length >= 1/],
    [{ ...ok, grid: { 'step.etaa': [1] } }, /grid \(step\.etaa = 1\): step: unknown key "etaa"/],
    [{ ...ok, points: [{ alpha: 1 }, { alpha: -1 }] }, /points\.1 \(alpha = -1\): alpha: expected a value > 0, got -1/],
    [{ ...ok, grid: { 'teacher.link': ['tanh', 'tahn'] } }, /teacher\.link = "tahn"\): teacher\.link: .*tahn/],
    [{ ...ok, grid: { 'd.x': [1] } }, /d\.x: d is 100 in the base config, not an object/],
  ])('%o', (file, message) => {
    expect(issuesOf(() => expandSweep(file))).toMatch(message);
  });
});
