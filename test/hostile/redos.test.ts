/**
 * No regular expression that sees customer text can be made to backtrack: each one, wherever it is written
 * (code under src/, word lists and error patterns in flows/), is checked by recheck, a ReDoS checker.
 * recheck uses its native binary when its optional package installed, else Java, else its pure-JS engine in
 * a worker (RECHECK_BACKEND=pure forces that one); all give the same verdicts, offline.
 *
 * Bounded repeats such as `.{0,60}` (error patterns) count towards recheck's maxRepeatCount; above it recheck
 * falls back from its exact automaton analysis to fuzzing, which misjudges wide bounded gaps. The limit is
 * raised so those are analysed exactly; the fuzzer (still used for lookarounds) gets a fixed seed, so a run
 * gives the same verdicts every time.
 */
import { check } from 'recheck';
import { describe, expect, it } from 'vitest';
import type { Parameters } from 'recheck';
import { customerTextRegexes, dynamicRegexFiles, filesBuildingRegexes } from '../support/regexes.ts';

const patterns = customerTextRegexes();
const params: Parameters = { timeout: 120_000, maxRepeatCount: 2_000, randomSeed: 20_240_601, attackTimeout: null, incubationTimeout: null };

describe('regular expressions are safe from ReDoS', () => {
  it('every module that builds patterns at run time is one whose patterns are collected', () => {
    expect(filesBuildingRegexes().sort()).toEqual([...dynamicRegexFiles].sort());
  });

  it('the collection holds the code literals, the masking patterns and the data patterns', () => {
    const origins = patterns.map((p) => p.origin).join('\n');
    expect(origins).toMatch(/src\/staff\/mask\.ts EMAIL/);
    expect(origins).toMatch(/src\/staff\/mask\.ts DIGIT_RUN/);
    expect(origins).toMatch(/src\/language\/errors\.ts:\d+/);
    expect(origins).toMatch(/src\/language\/address\.ts:\d+/);
    expect(origins).toMatch(/lexicon.*errors\.\d+\.patterns/);
    expect(patterns.some((p) => p.source.includes('たいむあうと'))).toBe(true);
    expect(patterns.length).toBeGreaterThan(500);
  });

  it('the check, with these parameters, catches vulnerable patterns (exact and fuzzed)', async () => {
    const vulnerable = [
      ['nested repeat', '^(a+)+$', ''],
      // Unbounded spaces on both sides of a spelled-out @: every split of a run of spaces is tried.
      ['unbounded address separators', '[a-z.]+\\s*(?:@|\\s*あっと\\s*)\\s*[a-z]+(?:\\.[a-z]+)+', 'gu'],
      ['lookaround (fuzzed)', '(?<![0-9])(?:\\s*,)*\\s*;', 'u'],
    ];
    for (const [name, source, flags] of vulnerable) expect((await check(source!, flags!, params)).status, name).toBe('vulnerable');
  }, 300_000);

  it('recheck calls none of them vulnerable', async () => {
    const unsafe: string[] = [];
    const queue = [...patterns];
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const d = await check(p.source, p.flags, params);
        if (d.status !== 'safe') {
          const why = d.status === 'vulnerable' ? `${d.complexity.summary}, attack ${d.attack.pattern.slice(0, 120)}` : `${d.status}: ${d.error.kind}`;
          unsafe.push(`${p.origin}  /${p.source.slice(0, 200)}/${p.flags}  (${why})`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    expect(unsafe, 'patterns recheck does not call safe').toEqual([]);
  }, 600_000);
});
