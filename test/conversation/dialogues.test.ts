/**
 * Every evaluation set under test/fixtures/dialogues/ (dialogues-*.jsonl, singles-*.jsonl), played through the
 * pure turn function. Each file must reach its threshold (thresholds.json in its folder, or DEFAULT_THRESHOLD).
 * `node --import tsx bench/dialogue-accuracy.ts <folder>` prints the same table with every miss.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, evaluateItems, formatMisses, formatRows, loadItems, setFolders, thresholdsFor } from '../support/dialogues.ts';
import { evalData, purePlayer } from '../support/dialogue-players.ts';
import { testDeps } from '../support/turns.ts';

const root = 'test/fixtures/dialogues';
const deps = testDeps();

describe.each(setFolders(root))('evaluation sets in %s', (folder) => {
  it('reaches the threshold of every file', async () => {
    const { rows, verdicts } = await evaluateItems(evalData(deps), loadItems(folder), purePlayer(deps));
    console.log(formatRows(rows));
    const misses = formatMisses(verdicts);
    if (misses) console.log(misses);
    const thresholds = thresholdsFor(folder);
    for (const row of rows.filter((r) => r.file !== '*' && r.category === '*')) {
      expect(row.accuracy, `${row.file}: ${row.correct} / ${row.total}`).toBeGreaterThanOrEqual(thresholds[row.file] ?? DEFAULT_THRESHOLD);
    }
    expect(verdicts.length).toBeGreaterThan(0);
  }, 120_000);
});
