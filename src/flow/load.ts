/**
 * The one reader of flows/ and locales/: the server's start-up, `npm run flows:check`, `npm run flows:diagram`,
 * the benches and the tests all load the data here, so each sees the same problems. Reads every file, checks
 * everything (check.ts) and returns the data or the complete list of problems — a staff member who broke two
 * files sees both, each with its file and key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../language/lexicon.ts';
import { projectFile } from '../storage/project-file.ts';
import { FLOW_FILE } from './bundle.ts';
import { checkData, type BotData, type DataLoad, type Locales, type RawData } from './check.ts';
import { FlowDataError, type DataProblem } from './flow-data.ts';

/** The repository the running code belongs to (from src/ or from the bundle in dist/server/). */
const projectRoot = () => projectFile();

function readJsonFile(root: string, file: string, problems: DataProblem[]): unknown {
  const path = join(root, file);
  if (!existsSync(path)) {
    problems.push({ file, key: '(file)', message: 'file is missing' });
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push({ file, key: '(file)', message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

/** Every locales/<lang>/<namespace>.json under `root`; a file that is not a JSON object is reported and left out. */
function readLocales(root: string, problems: DataProblem[]): Locales {
  const dir = join(root, 'locales');
  const locales: Locales = {};
  const langs = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')) : [];
  for (const { name: lang } of langs) {
    locales[lang] = {};
    for (const f of readdirSync(join(dir, lang)).filter((name) => name.endsWith('.json'))) {
      const file = `locales/${lang}/${f}`;
      const data = readJsonFile(root, file, problems);
      if (data === undefined) continue;
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        problems.push({ file, key: '(root)', message: 'must be a JSON object of sentences' });
        continue;
      }
      locales[lang]![f.replace(/\.json$/, '')] = data as Locales[string][string];
    }
  }
  return locales;
}

/** flows/ and locales/ under `root` as parsed JSON, and what reading them found wrong (missing files, bad JSON). */
export function readRawData(root = projectRoot()): { raw: RawData; problems: DataProblem[] } {
  const problems: DataProblem[] = [];
  const raw: RawData = {
    flow: readJsonFile(root, FLOW_FILE, problems),
    clients: readJsonFile(root, FILES.clients, problems),
    words: readJsonFile(root, FILES.words, problems),
    faq: readJsonFile(root, FILES.faq, problems),
    errors: readJsonFile(root, FILES.errors, problems),
    locales: readLocales(root, problems),
  };
  return { raw, problems };
}

/** Reads and checks flows/ and locales/ under `root` (default: this repository): the data, or every problem. */
export function loadData(root = projectRoot()): DataLoad {
  const { raw, problems } = readRawData(root);
  return checkData(raw, problems);
}

/** loadData for code that cannot run without the data: throws a FlowDataError listing every problem. */
export function loadDataOrThrow(root = projectRoot()): BotData {
  const load = loadData(root);
  if (!load.ok) throw new FlowDataError(load.problems);
  return load.data;
}
