import { describe, expect, it } from 'vitest';
import { type MockFault, seededFaults, seededRandom } from '../src/msw/index.js';

const take = (plan: { next(): MockFault | undefined }, n: number) => Array.from({ length: n }, () => plan.next());

describe('seededFaults', () => {
  it('gives the same faults to the same request sequence for a seed, and others for another seed', () => {
    const a = take(seededFaults({ seed: 3, rate: 0.3 }), 500);
    expect(take(seededFaults({ seed: 3, rate: 0.3 }), 500)).toEqual(a);
    expect(take(seededFaults({ seed: 4, rate: 0.3 }), 500)).not.toEqual(a);
  });

  it('fails about `rate` of the requests, with each of the faults', () => {
    const plan = seededFaults({ seed: 11, rate: 0.2, maxRun: 100 });
    const drawn = take(plan, 5_000);
    expect(plan.requests).toBe(5_000);
    expect(plan.injected).toBe(drawn.filter(Boolean).length);
    expect(plan.injected / 5_000).toBeGreaterThan(0.17);
    expect(plan.injected / 5_000).toBeLessThan(0.23);
    const kinds = new Set(drawn.filter(Boolean).map((f) => JSON.stringify(f)));
    expect(kinds).toEqual(new Set(['{"status":503}', '{"status":500}', '{"status":429}', '{"drop":true}']));
  });

  it('never fails more than maxRun requests in a row, nor more than limit in all', () => {
    const always = take(seededFaults({ seed: 1, rate: 1, maxRun: 2, faults: [{ status: 503 }] }), 9);
    expect(always.map((f) => (f ? 'F' : '.')).join('')).toBe('FF.FF.FF.');
    const limited = seededFaults({ seed: 1, rate: 1, maxRun: 1_000, limit: 5 });
    expect(take(limited, 50).filter(Boolean)).toHaveLength(5);
    expect(limited.injected).toBe(5);
  });

  it('decides request N the same way whatever the limits did before it', () => {
    const free = take(seededFaults({ seed: 9, rate: 0.5, maxRun: 1_000 }), 200);
    const capped = take(seededFaults({ seed: 9, rate: 0.5, maxRun: 1_000, limit: 10 }), 200);
    // Up to the limit, the capped plan is the free one; after it, it fails nothing.
    const tenth = free.findIndex((_, i) => free.slice(0, i + 1).filter(Boolean).length === 10);
    expect(capped.slice(0, tenth + 1)).toEqual(free.slice(0, tenth + 1));
    expect(capped.slice(tenth + 1).every((f) => f === undefined)).toBe(true);
  });

  it('refuses a rate outside 0–1 and an empty list of faults', () => {
    expect(() => seededFaults({ seed: 1, rate: 1.5 })).toThrow(RangeError);
    expect(() => seededFaults({ seed: 1, rate: Number.NaN })).toThrow(RangeError);
    expect(() => seededFaults({ seed: 1, rate: 0.5, faults: [] })).toThrow(RangeError);
  });
});

describe('seededRandom', () => {
  it('replays the same numbers in [0, 1) for a seed', () => {
    const a = Array.from({ length: 100 }, seededRandom(5));
    expect(Array.from({ length: 100 }, seededRandom(5))).toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(a).size).toBe(100);
  });
});
