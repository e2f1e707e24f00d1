/** flows/flowchart.json's `$comment` is the flow editor's guide: every file it names must exist. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

it('every file the flowchart comment names exists', () => {
  const comment = (JSON.parse(readFileSync(join(root, 'flows/flowchart.json'), 'utf8')) as { $comment: string }).$comment;
  const files = comment.match(/[\w./<>-]+\.(?:ts|mjs|json|md)\b/g) ?? [];
  expect(files.length).toBeGreaterThan(0);
  expect(files.filter((f) => !existsSync(join(root, f.replace('<lang>', 'ja'))))).toEqual([]);
});
