/** flows/flowchart.json's `$comment` is the flow editor's guide: every file and folder it names must exist. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languages } from '../../src/conversation/wire.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';

const root = join(import.meta.dirname, '..', '..');

/** The repository paths a text names (`src/flow/machine.ts`, `src/flow/`, `locales/<lang>/flow.json` for every language). */
function pathsNamed(text: string): string[] {
  const named = text.match(/\b(?:src|flows|locales|docs|scripts|test)\/[\w./<>-]*/g) ?? [];
  return named.map((p) => p.replace(/[.]$/, '')).flatMap((p) => (p.includes('<lang>') ? languages.map((lang) => p.replace('<lang>', lang)) : [p]));
}

const missing = (text: string) => pathsNamed(text).filter((p) => !existsSync(join(root, p)));

describe("the flowchart's $comment", () => {
  const comment = loadDataOrThrow().bundle.flow.$comment ?? '';

  it('names files and folders, all of which exist', () => {
    expect(pathsNamed(comment)).toEqual(expect.arrayContaining(['locales/ja/flow.json', 'locales/en/flow.json', 'flows/clients.json', 'src/flow/machine.ts', 'src/flow/']));
    expect(missing(comment)).toEqual([]);
  });

  it('a file or folder that is not there is caught', () => {
    expect(missing(`${comment} Guards: src/flow/guards.ts; data in flows/steps/.`)).toEqual(['src/flow/guards.ts', 'flows/steps/']);
  });
});
