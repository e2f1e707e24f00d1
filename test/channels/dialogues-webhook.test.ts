/**
 * The evaluation sets through the real webhook (POST /api/messages) of a started server: what customers get over
 * the wire is what the pure turn function gives. Verdicts, settings, links and texts are judged from the wire
 * messages alone; each file must reach the same threshold as through the turn function.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, evaluateItems, formatMisses, loadItems, setFolders, thresholdsFor } from '../support/dialogues.ts';
import { evalData, purePlayer, webhookPlayer } from '../support/dialogue-players.ts';
import { removeDataDir, startTestServer } from '../support/server.ts';
import { testDeps } from '../support/turns.ts';

const root = 'test/fixtures/dialogues';
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  // One client plays hundreds of conversations: the per-IP limits are lifted for it.
  server = await startTestServer({ RATE_LIMIT_CONVERSATIONS: '1000000', RATE_LIMIT_MESSAGES: '1000000' });
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

describe.each(setFolders(root))('evaluation sets in %s, over the webhook', (folder) => {
  it('reach the threshold of every file, and agree with the turn function item by item', async () => {
    const deps = testDeps();
    const items = loadItems(folder);
    const wire = await evaluateItems(evalData(deps), items, webhookPlayer(`http://127.0.0.1:${server.port}`));
    const pure = await evaluateItems(evalData(deps), items, purePlayer(deps));
    const misses = formatMisses(wire.verdicts);
    if (misses) console.log(misses);
    const thresholds = thresholdsFor(folder);
    for (const row of wire.rows.filter((r) => r.file !== '*' && r.category === '*')) {
      expect(row.accuracy, `${row.file}: ${row.correct} / ${row.total}`).toBeGreaterThanOrEqual(thresholds[row.file] ?? DEFAULT_THRESHOLD);
    }
    const disagreements = wire.verdicts.filter((v, i) => v.ok !== pure.verdicts[i]!.ok).map((v) => v.item.id);
    expect(disagreements).toEqual([]);
  }, 300_000);
});
