import { describe, expect, it } from 'vitest';
import { evaluate, formatReport } from '../../bench/language-accuracy.ts';

describe('accuracy on labelled customer utterances', () => {
  const { report, misses } = evaluate();
  const overall = report.find((r) => r.category === 'overall')!;
  console.log(formatReport(report));
  if (misses.length > 0) console.log(misses.map((m) => `  [${m.utterance.category}] ${JSON.stringify(m.utterance.text)} → ${JSON.stringify(m.got)}`).join('\n'));

  it('has at least 300 utterances', () => expect(overall.total).toBeGreaterThanOrEqual(300));
  it('is at least 97% overall', () => expect(overall.accuracy).toBeGreaterThanOrEqual(0.97));
  it.each(report.filter((r) => r.category !== 'overall').map((r) => [r.category, r] as const))('is at least 90%% in %s', (_c, r) => {
    expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
