/**
 * Accuracy of src/language on the labelled utterances in test/fixtures/utterances*.jsonl.
 * `node --import tsx bench/language-accuracy.ts` prints a table per category; the accuracy test
 * (test/language/accuracy.test.ts) uses the same report and fails below the thresholds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataOrThrow } from '../src/flow/load.ts';
import { understand, type Lexicon, type StepContext, type Understanding } from '../src/language/index.ts';

export interface Utterance { text: string; category: string; step: StepContext; expect: Partial<Understanding> & Record<string, unknown> }
export interface CategoryAccuracy { category: string; total: number; correct: number; accuracy: number }
export interface Miss { utterance: Utterance; got: Understanding }

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export function loadUtterances(dir = join(root, 'test/fixtures')): Utterance[] {
  const files = readdirSync(dir).filter((f) => /^utterances.*\.jsonl$/.test(f)).sort();
  const out: Utterance[] = [];
  for (const f of files) {
    readFileSync(join(dir, f), 'utf8').split('\n').forEach((line, i) => {
      if (line.trim() === '' || line.trim().startsWith('//')) return;
      try {
        out.push(JSON.parse(line) as Utterance);
      } catch (err) {
        throw new Error(`${f}:${i + 1}: ${(err as Error).message}`);
      }
    });
  }
  return out;
}

/** Every key in `expected` (deeply) has the same value in `actual`; extra keys in `actual` are fine. */
export function matches(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected as Record<string, unknown>).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
}

export function evaluate(utterances: Utterance[] = loadUtterances(), lexicon: Lexicon = loadDataOrThrow(root).lexicon): { report: CategoryAccuracy[]; misses: Miss[] } {
  const by = new Map<string, CategoryAccuracy>();
  const misses: Miss[] = [];
  for (const u of utterances) {
    const got = understand(u.text, u.step, lexicon);
    const ok = matches(got, u.expect);
    const row = by.get(u.category) ?? { category: u.category, total: 0, correct: 0, accuracy: 0 };
    row.total++;
    if (ok) row.correct++;
    else misses.push({ utterance: u, got });
    by.set(u.category, row);
  }
  const report = [...by.values()].sort((a, b) => a.category.localeCompare(b.category));
  for (const r of report) r.accuracy = r.total === 0 ? 1 : r.correct / r.total;
  const total = report.reduce((s, r) => s + r.total, 0);
  const correct = report.reduce((s, r) => s + r.correct, 0);
  report.push({ category: 'overall', total, correct, accuracy: total === 0 ? 1 : correct / total });
  return { report, misses };
}

/** Accuracy per category, plus an `overall` row last. */
export function languageAccuracyReport(): CategoryAccuracy[] {
  return evaluate().report;
}

export function formatReport(report: CategoryAccuracy[]): string {
  const lines = ['category        total  correct  accuracy', '--------------  -----  -------  --------'];
  for (const r of report) {
    lines.push(`${r.category.padEnd(14)}  ${String(r.total).padStart(5)}  ${String(r.correct).padStart(7)}  ${(r.accuracy * 100).toFixed(1).padStart(7)}%`);
  }
  return lines.join('\n');
}

/** CPU microseconds per understand() call over the labelled utterances (after a warm-up pass). */
export function understandCpuMicros(utterances: Utterance[] = loadUtterances(), lexicon: Lexicon = loadDataOrThrow(root).lexicon, rounds = 20): number {
  for (const u of utterances) understand(u.text, u.step, lexicon);
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) for (const u of utterances) understand(u.text, u.step, lexicon);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (rounds * utterances.length);
}

function main(): void {
  const { report, misses } = evaluate();
  console.log(formatReport(report));
  console.log(`understand(): ${understandCpuMicros().toFixed(1)} µs CPU per message`);
  if (misses.length > 0 && process.argv.includes('--misses')) {
    console.log('\nmisses:');
    for (const m of misses) console.log(`  [${m.utterance.category}] ${JSON.stringify(m.utterance.text)} expected ${JSON.stringify(m.utterance.expect)} got ${JSON.stringify(m.got)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
