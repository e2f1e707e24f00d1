/**
 * flows:check — copy flows/ and locales/ to a temporary directory, break one thing, and the loader names
 * the file and the key; break several files, and it names every problem of every file in one run. The server
 * refuses to start on the same problems with the same messages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { variablesOf } from '../../src/flow/check.ts';
import { FlowDataError, formatProblem, type DataProblem } from '../../src/flow/flow-data.ts';
import { loadData, loadDataOrThrow } from '../../src/flow/load.ts';
import { startServer } from '../../src/server.ts';

const REPO = resolve('.');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'owari-flows-'));
  dirs.push(root);
  cpSync(join(REPO, 'flows'), join(root, 'flows'), { recursive: true });
  cpSync(join(REPO, 'locales'), join(root, 'locales'), { recursive: true });
  return root;
}

/** Every problem the loader finds under `root` (none when the data loads). */
function problemsIn(root: string): DataProblem[] {
  const load = loadData(root);
  return load.ok ? [] : load.problems;
}

type Json = Record<string, any>;
function edit(root: string, file: string, change: (data: Json) => void): void {
  const path = join(root, file);
  const data = JSON.parse(readFileSync(path, 'utf8')) as Json;
  change(data);
  writeFileSync(path, JSON.stringify(data, null, 2));
}

function broken(file: string, change: (data: Json) => void): { root: string; problems: DataProblem[] } {
  const root = copy();
  edit(root, file, change);
  return { root, problems: problemsIn(root) };
}

const has = (problems: DataProblem[], file: string, key: string, message?: RegExp) =>
  expect(problems.some((p) => p.file === file && p.key === key && (!message || message.test(p.message))), `expected ${file} ${key} in:\n${problems.map(formatProblem).join('\n')}`).toBe(true);

describe('flows:check on the shipped data', () => {
  it('finds nothing to complain about', () => {
    expect(problemsIn(REPO).map(formatProblem)).toEqual([]);
  });
});

describe('flows:check catches each kind of broken data with its file and key', () => {
  it('an unknown target step', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.connects_via_owari.on.yes.target = 'nowhere'));
    has(problems, 'flows/flowchart.json', 'states.connects_via_owari.on.yes', /unknown target step "nowhere"/);
  });

  it('an unreachable step', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.orphan = { meta: { expects: 'none', say: ['common.anything_else'], replies: ['restart'] } }));
    has(problems, 'flows/flowchart.json', 'states.orphan', /unreachable/);
  });

  it('an outcome no step gives as a verdict', () => {
    const { problems } = broken('flows/flowchart.json', (f) => delete f.states.no_change_needed.meta.outcome);
    has(problems, 'flows/flowchart.json', 'states', /no-change-needed/);
  });

  it('a step asking a fact that its answers cannot give', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.uses_mail_software.on.windows = 'connects_via_owari'));
    has(problems, 'flows/flowchart.json', 'states.uses_mail_software.on.windows', /asking "usesMailSoftware" can only be answered by yes, no/);
  });

  it('a fact a step of that kind does not ask', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.connects_via_owari.meta.fact = 'os'));
    has(problems, 'flows/flowchart.json', 'states.connects_via_owari.meta.fact', /expects "os"/);
  });

  it('an unknown fact', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.connects_via_owari.meta.fact = 'favouriteColour'));
    has(problems, 'flows/flowchart.json', 'states.connects_via_owari.meta.fact');
  });

  it('a verdict that asks a fact without saying which of its sentences is the question', () => {
    const { problems } = broken('flows/flowchart.json', (f) => delete f.states.change_required_owari.meta.reask);
    has(problems, 'flows/flowchart.json', 'states.change_required_owari.meta.reask', /needs `reask`/);
  });

  it('a re-asked sentence that the step does not say', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.change_required_owari.meta.reask = ['steps.choose_client.ask']));
    has(problems, 'flows/flowchart.json', 'states.change_required_owari.meta.reask', /not one of the step's own sentences/);
  });

  it('a sentence key a step says that exists in no language', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.choose_os.meta.say = ['steps.choose_os.typo']));
    has(problems, 'locales/ja/flow.json', 'steps.choose_os.typo', /needed by flows\/flowchart.json states.choose_os.meta.say/);
    has(problems, 'locales/en/flow.json', 'steps.choose_os.typo');
  });

  it('a sentence missing in one language', () => {
    const { problems } = broken('locales/en/flow.json', (l) => delete l.steps.choose_os.ask);
    has(problems, 'locales/en/flow.json', 'steps.choose_os.ask', /missing/);
    expect(problems.filter((p) => p.file === 'locales/ja/flow.json')).toEqual([]);
  });

  it('a key only one language has', () => {
    const { problems } = broken('locales/en/widget.json', (l) => (l.extraOnlyInEnglish = 'x'));
    has(problems, 'locales/en/widget.json', 'extraOnlyInEnglish', /same keys/);
  });

  it('different interpolation variables across languages', () => {
    const { problems } = broken('locales/en/flow.json', (l) => (l.steps.settings.values = l.steps.settings.values.replace('{{smtpPort}}', '{{smtp_port}}')));
    has(problems, 'locales/en/flow.json', 'steps.settings.values', /variables differ/);
  });

  it('a network hint sentence that does not exist', () => {
    const { problems } = broken('flows/flowchart.json', (f) => (f.states.connects_via_owari.meta.networkHint = 'steps.connects_via_owari.typo'));
    has(problems, 'locales/ja/flow.json', 'steps.connects_via_owari.typo', /meta.networkHint/);
  });

  it('a quick reply without a title', () => {
    const { problems } = broken('locales/en/flow.json', (l) => delete l.replies.unsure);
    has(problems, 'locales/en/flow.json', 'replies.unsure');
  });

  it('a mail client without a manual path', () => {
    const { problems } = broken('flows/clients.json', (c) => delete c.products.thunderbird.editions.windows.manual);
    has(problems, 'flows/clients.json', 'products.thunderbird.editions.windows.manual');
  });

  it('a mail client without its where-to-set sentence', () => {
    const root = copy();
    for (const lang of ['ja', 'en']) edit(root, `locales/${lang}/flow.json`, (l) => delete l.clients.becky);
    const problems = problemsIn(root);
    has(problems, 'locales/ja/flow.json', 'clients.becky.where', /flows\/clients.json products.becky/);
    has(problems, 'locales/en/flow.json', 'clients.becky.where');
  });

  it('a mail client without its name in one language', () => {
    const { problems } = broken('locales/en/flow.json', (l) => delete l.clients.windows_live_mail.name);
    has(problems, 'locales/en/flow.json', 'clients.windows_live_mail.name', /flows\/clients.json products.windows_live_mail/);
  });

  it('a mail client added to the catalogue without names', () => {
    const { problems } = broken('flows/clients.json', (c) => (c.products.sylpheed = { name: 'Sylpheed', aliases: ['Sylpheed'], status: 'current', editions: { windows: { manual: 'windows/sylpheed.html' } } }));
    has(problems, 'locales/ja/flow.json', 'clients.sylpheed.name');
    has(problems, 'locales/en/flow.json', 'clients.sylpheed.name');
  });

  it('an FAQ answer variant for a situation the flow never is in, or for no FAQ entry', () => {
    const root = copy();
    for (const lang of ['ja', 'en']) {
      edit(root, `locales/${lang}/faq.json`, (l) => {
        l['am_i_affected_change-requird-owari'] = 'x';
        l['am_i_afected_change-recommended'] = 'x';
      });
    }
    const problems = problemsIn(root);
    has(problems, 'locales/ja/faq.json', 'am_i_affected_change-requird-owari', /nor a variant <entry id>_<situation> \(situations: account_known, q1_yes, q2_yes, no-change-needed, change-recommended, change-required-other-provider, change-required-owari\)/);
    has(problems, 'locales/ja/faq.json', 'am_i_afected_change-recommended');
    expect(problemsIn(REPO).map(formatProblem)).toEqual([]);
  });

  it('an FAQ entry without an answer text', () => {
    const { problems } = broken('locales/ja/faq.json', (l) => delete l.what_is_op25b);
    has(problems, 'locales/ja/faq.json', 'what_is_op25b', /flows\/language\/faq.json entries.0/);
  });

  it('an error entry without a diagnosis text', () => {
    const { problems } = broken('locales/en/diagnosis.json', (l) => delete l['0x800CCC0E']);
    has(problems, 'locales/en/diagnosis.json', '0x800CCC0E');
  });

  it('a malformed word list', () => {
    const { problems } = broken('flows/language/words.json', (w) => (w.yes.start = []));
    has(problems, 'flows/language/words.json', 'yes.start', /empty list/);
  });

  it('a word that normalizes to nothing', () => {
    const { problems } = broken('flows/language/words.json', (w) => w.handoff.push('　・'));
    expect(problems.some((p) => p.file === 'flows/language/words.json' && p.key.startsWith('handoff.'))).toBe(true);
  });

  it('a file that is not JSON', () => {
    const root = copy();
    writeFileSync(join(root, 'locales/en/widget.json'), '{ "launcher": ');
    has(problemsIn(root), 'locales/en/widget.json', '(file)', /not valid JSON/);
  });

  it('plural forms: each language has those its plural rules need (en one/other, ja other), with {{count}}', () => {
    has(broken('locales/en/staff.json', (l) => delete l.stats.retention_one).problems, 'locales/en/staff.json', 'stats.retention', /plural forms missing for en: stats\.retention_one/);
    has(broken('locales/ja/staff.json', (l) => (l.stats.retention_one = '{{count}} 日')).problems, 'locales/ja/staff.json', 'stats.retention', /ja does not use: stats\.retention_one/);
    has(broken('locales/en/staff.json', (l) => (l.stats.retention_one = 'after one day')).problems, 'locales/en/staff.json', 'stats.retention_one', /variables differ/);
    // A sentence with a number and no plural forms, where English needs them, is the case this check cannot see:
    // the shipped data is searched for it instead (test/flow/plurals.test.ts).
  });

  it('a sentence that is not text', () => {
    const { problems } = broken('locales/ja/widget.json', (l) => (l.launcher = ['a', 'b']));
    has(problems, 'locales/ja/widget.json', 'launcher', /must be text/);
  });
});

describe('every problem of every file in one run', () => {
  it('two broken files of the word lists: both problems, each with its file', () => {
    const root = copy();
    edit(root, 'flows/language/words.json', (w) => (w.yes.start = []));
    edit(root, 'flows/language/faq.json', (f) => (f.entries[1].action = 'explode'));
    const problems = problemsIn(root);
    has(problems, 'flows/language/words.json', 'yes.start', /empty list/);
    has(problems, 'flows/language/faq.json', 'entries.1.action');
  });

  it('four broken files — flowchart, catalogue, word list, sentences: every problem, and the error names every file', () => {
    const root = copy();
    edit(root, 'flows/flowchart.json', (f) => (f.states.connects_via_owari.on.yes.target = 'nowhere'));
    edit(root, 'flows/clients.json', (c) => delete c.products.thunderbird.editions.windows.manual);
    edit(root, 'flows/language/errors.json', (e) => (e.entries[2].patterns = ['(unclosed']));
    edit(root, 'locales/en/flow.json', (l) => delete l.steps.choose_os.ask);
    const problems = problemsIn(root);
    has(problems, 'flows/flowchart.json', 'states.connects_via_owari.on.yes', /unknown target step "nowhere"/);
    has(problems, 'flows/clients.json', 'products.thunderbird.editions.windows.manual');
    has(problems, 'flows/language/errors.json', 'entries.2.patterns.0', /does not compile/);
    has(problems, 'locales/en/flow.json', 'steps.choose_os.ask', /missing/);
    const error = (() => {
      try {
        loadDataOrThrow(root);
      } catch (e) {
        return e as FlowDataError;
      }
    })();
    expect(error).toBeInstanceOf(FlowDataError);
    for (const p of problems) expect(error!.message).toContain(formatProblem(p));
  });

  it('several problems in one word list: all of them', () => {
    const root = copy();
    let handoffs = 0;
    edit(root, 'flows/language/words.json', (w) => {
      w.yes.start = [];
      handoffs = w.handoff.push(3);
    });
    const keys = problemsIn(root).filter((p) => p.file === 'flows/language/words.json').map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['yes.start', `handoff.${handoffs - 1}`]));
  });

  it('several entries of a word list that normalize to nothing: all of them', () => {
    const root = copy();
    edit(root, 'flows/language/words.json', (w) => w.handoff.push('　・', '・'));
    edit(root, 'flows/clients.json', (c) => (c.products.becky.aliases = ['\u200b']));
    const problems = problemsIn(root);
    const handoffs = problems.filter((p) => p.file === 'flows/language/words.json' && p.key.startsWith('handoff.'));
    expect(handoffs).toHaveLength(2);
    has(problems, 'flows/clients.json', 'products.becky.aliases.0', /empty after normalization/);
  });
});

describe('npm run flows:check and the server agree', () => {
  it('the script prints every problem with file and key and exits 1; 0 on good data', () => {
    const root = copy();
    edit(root, 'flows/flowchart.json', (f) => (f.states.connects_via_owari.on.yes.target = 'nowhere'));
    edit(root, 'locales/en/flow.json', (l) => delete l.steps.choose_os.ask);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/flows-check.ts', root], { cwd: REPO, encoding: 'utf8' });
    expect(run.status).toBe(1);
    for (const p of problemsIn(root)) expect(run.stderr).toContain(formatProblem(p));
    expect(run.stderr).toContain('flows/flowchart.json states.connects_via_owari.on.yes: unknown target step "nowhere"');
    expect(run.stderr).toContain('locales/en/flow.json steps.choose_os.ask');
    expect(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/flows-check.ts'], { cwd: REPO, encoding: 'utf8' })).toContain('OK');
  });

  it('the server refuses to start on the same problems, with the same messages', async () => {
    const root = copy();
    edit(root, 'flows/flowchart.json', (f) => (f.states.connects_via_owari.on.yes.target = 'nowhere'));
    edit(root, 'locales/en/flow.json', (l) => delete l.steps.choose_os.ask);
    const expected = problemsIn(root);
    expect(new Set(expected.map((p) => p.file))).toEqual(new Set(['flows/flowchart.json', 'locales/en/flow.json']));
    const error = await startServer({ env: { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: join(root, 'data') }, dataRoot: root }).then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlowDataError);
    expect((error as FlowDataError).problems).toEqual(expected);
    for (const p of expected) expect((error as Error).message).toContain(formatProblem(p));
  });
});

describe('variablesOf', () => {
  it('reads i18next interpolations', () => {
    expect(variablesOf('{{a}} と {{ b }} と {{c, number}} と {{- d}} と {{a}}')).toEqual(['a', 'b', 'c', 'd']);
    expect(variablesOf('なし')).toEqual([]);
  });
});
