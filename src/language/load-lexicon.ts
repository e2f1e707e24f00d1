/** Reads the word-list data and builds the lexicon. The only I/O in src/language. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLexicon, LexiconError, type Lexicon } from './lexicon.js';

function readJson(flowsDir: string, rel: string, file: string): unknown {
  const path = join(flowsDir, rel);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LexiconError(file, '(file)', `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LexiconError(file, '(json)', `not valid JSON: ${(err as Error).message}`);
  }
}

export function loadLexicon(flowsDir = 'flows'): Lexicon {
  return buildLexicon({
    words: readJson(flowsDir, 'language/words.json', 'flows/language/words.json'),
    faq: readJson(flowsDir, 'language/faq.json', 'flows/language/faq.json'),
    errors: readJson(flowsDir, 'language/errors.json', 'flows/language/errors.json'),
    clients: readJson(flowsDir, 'clients.json', 'flows/clients.json'),
  });
}
