/**
 * Every regular expression the server may apply to customer text, collected from the code and the data
 * (never copied), so a pattern added anywhere is checked without touching the tests that use this list.
 *
 * - Literals (/.../) in every module under src/: read from the code itself (esbuild strips the types,
 *   acorn finds the regex literals).
 * - Patterns built at run time (`new RegExp`): the modules that build them export or hold them — the
 *   masking patterns (MASK_PATTERNS) and everything compiled into the lexicon from flows/language/*.json.
 *   `dynamicRegexFiles` names those modules; a test fails when another module starts building patterns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Parser } from 'acorn';
import { transformSync } from 'esbuild';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { MASK_PATTERNS, accountPattern } from '../../src/staff/mask.ts';

const data = loadDataOrThrow();

export interface CollectedRegex {
  /** Where it comes from: file:line for literals, a name for run-time patterns. */
  readonly origin: string;
  readonly source: string;
  readonly flags: string;
}

/** Modules that build patterns with `new RegExp`, and where their patterns are collected from. */
export const dynamicRegexFiles = ['src/staff/mask.ts', 'src/language/lexicon.ts', 'src/language/matcher.ts'];

/** The line of the original source a literal is on (the syntax tree is of the code without types). */
function lineOf(text: string, literal: string): number | string {
  const at = text.indexOf(literal);
  return at < 0 ? '?' : text.slice(0, at).split('\n').length;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.d.mts') ? [path] : [];
  });
}

/** Regex literals in one module, found in its syntax tree (not by a text search, which strings and comments would fool). */
function literalsIn(file: string): CollectedRegex[] {
  const original = readFileSync(file, 'utf8');
  const code = transformSync(original, { loader: file.endsWith('.ts') ? 'ts' : 'js', format: 'esm', target: 'es2022' }).code;
  const found: CollectedRegex[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; regex?: { pattern: string; flags: string }; loc?: { start: { line: number } } };
    if (n.type === 'Literal' && n.regex) found.push({ origin: `${relative(process.cwd(), file)}:${lineOf(original, `/${n.regex.pattern}/`)}`, source: n.regex.pattern, flags: n.regex.flags });
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visit(value);
  };
  visit(Parser.parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true }));
  return found;
}

export function filesBuildingRegexes(root = 'src'): string[] {
  return sourceFiles(root)
    .filter((f) => /\bnew RegExp\(|(?<![.\w])RegExp\(/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(process.cwd(), f));
}

/** Every RegExp reachable from a value (the lexicon is a tree of maps, arrays and records). */
function regexesIn(value: unknown, origin: string, seen = new Set<unknown>()): CollectedRegex[] {
  if (value instanceof RegExp) return [{ origin, source: value.source, flags: value.flags }];
  if (!value || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const children: [string, unknown][] =
    value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v]) : value instanceof Set ? [...value].map((v, i) => [String(i), v]) : Object.entries(value);
  return children.flatMap(([key, child]) => regexesIn(child, `${origin}.${key}`, seen));
}

export function customerTextRegexes(): CollectedRegex[] {
  const literals = sourceFiles('src').flatMap(literalsIn);
  const masking = Object.entries(MASK_PATTERNS).map(([name, re]) => ({ origin: `src/staff/mask.ts ${name}`, source: re.source, flags: re.flags }));
  // The account pattern escapes what it is given: a name full of regex syntax must still be a plain word.
  const account = ['taro', 'a.b+c*(d|e)?', '.*.*.*.*'].map((name) => ({ origin: `src/staff/mask.ts accountPattern(${name})`, source: accountPattern(name).source, flags: accountPattern(name).flags }));
  const lexicon = regexesIn(data.lexicon, 'lexicon (flows/language, flows/clients.json)');
  // One check per distinct pattern: the lexicon holds the same source in several places.
  const unique = new Map<string, CollectedRegex>();
  for (const r of [...literals, ...masking, ...account, ...lexicon]) {
    const key = `/${r.source}/${r.flags}`;
    if (!unique.has(key)) unique.set(key, r);
  }
  return splitUnions([...unique.values()]);
}

/**
 * The word lists are matched with one alternation per list, `(?:a)|(?:b)|…`, made of patterns that are
 * themselves in the collection. Such a union costs, at each position, the sum of its alternatives, so it
 * is linear when each alternative is: each is checked on its own (recheck's fuzzer misjudges alternations
 * of hundreds of words). A union with any part that is not collected is checked whole.
 */
function splitUnions(all: CollectedRegex[]): CollectedRegex[] {
  const sources = new Set(all.map((r) => r.source));
  const out = new Map<string, CollectedRegex>();
  for (const r of all) {
    const parts = unionParts(r.source, sources);
    for (const source of parts ?? [r.source]) {
      const key = `/${source}/${r.flags}`;
      if (!out.has(key)) out.set(key, { origin: parts ? `${r.origin} (alternative)` : r.origin, source, flags: r.flags });
    }
  }
  return [...out.values()];
}

function unionParts(source: string, sources: ReadonlySet<string>): string[] | null {
  if (!source.startsWith('(?:')) return null;
  const parts: string[] = [];
  let at = 0;
  while (at < source.length) {
    if (!source.startsWith('(?:', at)) return null;
    // The shortest collected pattern that closes here and is followed by "|" or the end.
    let end = source.indexOf(')', at + 3);
    let found: string | null = null;
    while (end >= 0) {
      const candidate = source.slice(at + 3, end);
      const next = source[end + 1];
      if ((next === '|' || next === undefined) && sources.has(candidate)) { found = candidate; break; }
      end = source.indexOf(')', end + 1);
    }
    if (found === null) return null;
    parts.push(found);
    at = end + 2;
  }
  return parts.length > 1 ? parts : null;
}
