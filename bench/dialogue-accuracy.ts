/**
 * Accuracy of the whole conversation on evaluation sets (dialogues-*.jsonl, singles-*.jsonl):
 * `node --import tsx bench/dialogue-accuracy.ts <folder>` plays every item through the pure turn function and
 * prints accuracy per file and category, then every miss with the bot's replies. Folders holding sets below
 * <folder> are evaluated too.
 */
import { resolve } from 'node:path';
import { evaluateItems, formatMisses, formatRows, loadItems, setFolders } from '../test/support/dialogues.ts';
import { evalData, purePlayer } from '../test/support/dialogue-players.ts';
import { testDeps } from '../test/support/turns.ts';

const folder = resolve(process.argv[2] ?? 'test/fixtures/dialogues');
const deps = testDeps();
for (const dir of setFolders(folder)) {
  const { rows, verdicts } = await evaluateItems(evalData(deps), loadItems(dir), purePlayer(deps));
  console.log(`\n## ${dir}\n`);
  console.log(formatRows(rows));
  const misses = formatMisses(verdicts);
  if (misses) console.log(`\nMisses:\n${misses}`);
}
