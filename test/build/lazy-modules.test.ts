/**
 * scripts/lazy-modules.mjs defers, in the server bundle, modules that the server does not use at start-up
 * (Recognizers-Text, the Bot Framework connector…). Deferring must not change what the code does: the proxy
 * must behave as the module, the deferred re-exports must be exactly the module's exports, and the deferred
 * code must work when it is used. These tests check all three, the last on a bundle built with the server's
 * own source transforms and compared with the packages loaded by Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error -- plain .mjs build scripts without type declarations
import { exportNames, LAZY_REQUIRES, LEFT_OUT, lazyRequires, runtimeSource } from '../../scripts/lazy-modules.mjs';
// @ts-expect-error -- plain .mjs build script without type declarations
import { sourcePlugins } from '../../scripts/build-server.mjs';

const root = join(import.meta.dirname, '..', '..');
const nodeRequire = createRequire(join(root, 'package.json'));

type Runtime = {
  lazy<T extends object>(load: () => T): T;
  exportStar(load: () => object, exports: object, names: string[]): void;
};
const runtime = (() => {
  const module = { exports: {} as Runtime };
  new Function('exports', 'module', runtimeSource)(module.exports, module);
  return module.exports;
})();

/** tsc's helpers, verbatim (the shapes the deferred modules are used through). */
const tsc = new Function(`
var __createBinding = (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : 0);
var __setModuleDefault = (function(o, v) { Object.defineProperty(o, "default", { enumerable: true, value: v }); });
var __exportStar = function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
var __importStar = function (mod) {
    if (mod && mod.__esModule) return mod;
    var result = {};
    if (mod != null) for (var k in mod) if (k !== "default" && Object.prototype.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
    __setModuleDefault(result, mod);
    return result;
};
return { __exportStar, __importStar };`)() as { __exportStar(m: object, exports: object): void; __importStar<T>(m: T): T };

/** A tsc-compiled module's exports: a getter re-export (non-configurable) and plain values. */
function fakeModule() {
  const exports: Record<string, unknown> = {};
  Object.defineProperty(exports, '__esModule', { value: true });
  exports.count = 1;
  exports.greet = function (this: unknown, name: string) {
    return `hello ${name}`;
  };
  Object.defineProperty(exports, 'Thing', { enumerable: true, get: () => class Thing {} });
  return exports;
}

describe('lazy(): a module evaluated on first use', () => {
  it('does not load until used, then loads once and behaves as the module', () => {
    let loads = 0;
    const proxy = runtime.lazy(() => {
      loads++;
      return fakeModule();
    }) as Record<string, unknown> & { greet(name: string): string };
    expect(loads).toBe(0);
    expect(proxy.greet('x')).toBe('hello x');
    expect(proxy.count).toBe(1);
    expect(loads).toBe(1);
    expect('count' in proxy).toBe(true);
    expect('nothing' in proxy).toBe(false);
    expect(Object.keys(proxy)).toEqual(Object.keys(fakeModule()));
    expect(Reflect.ownKeys(proxy)).toEqual(Reflect.ownKeys(fakeModule()));
    const seen: string[] = [];
    for (const key in proxy) seen.push(key);
    expect(seen).toEqual(['count', 'greet', 'Thing']);
    expect(Object.getOwnPropertyDescriptor(proxy, 'Thing')?.configurable).toBe(false);
    expect(typeof (proxy.Thing as () => unknown)).toBe('function');
    proxy.count = 2;
    expect(proxy.count).toBe(2);
    expect(proxy.__esModule).toBe(true);
    expect({ ...proxy }.count).toBe(2);
    expect(loads).toBe(1);
  });

  it('works through tsc’s __importStar and __exportStar as the module does', () => {
    const viaStar = tsc.__importStar(runtime.lazy(fakeModule)) as Record<string, unknown>;
    expect(Object.keys(viaStar)).toEqual(Object.keys(tsc.__importStar(fakeModule())));
    const reexported: Record<string, unknown> = {};
    tsc.__exportStar(runtime.lazy(fakeModule), reexported);
    expect(Object.keys(reexported)).toEqual(['count', 'greet', 'Thing']);
  });

  it('a load that throws throws at the use, and is tried again at the next', () => {
    let fail = true;
    const proxy = runtime.lazy(() => {
      if (fail) throw new Error('not yet');
      return fakeModule();
    }) as Record<string, unknown>;
    expect(() => proxy.count).toThrow('not yet');
    fail = false;
    expect(proxy.count).toBe(1);
  });
});

describe('exportStar(): deferred re-exports', () => {
  it('defines the same enumerable getters as tsc’s __exportStar, loading on the first read', () => {
    let loads = 0;
    const deferred: Record<string, unknown> = { count: 'already here' };
    runtime.exportStar(() => (loads++, fakeModule()), deferred, ['count', 'greet', 'Thing']);
    const eager: Record<string, unknown> = { count: 'already here' };
    tsc.__exportStar(fakeModule(), eager);
    expect(loads).toBe(0);
    expect(Object.keys(deferred)).toEqual(Object.keys(eager));
    expect(deferred.count).toBe('already here');
    for (const key of ['greet', 'Thing']) {
      const [a, b] = [Object.getOwnPropertyDescriptor(deferred, key)!, Object.getOwnPropertyDescriptor(eager, key)!];
      expect([a.enumerable, a.configurable, typeof a.get]).toEqual([b.enumerable, b.configurable, typeof b.get]);
    }
    expect((deferred.greet as (n: string) => string)('y')).toBe('hello y');
    expect(loads).toBe(1);
  });

  it('the export names read from each deferred re-export are exactly the module’s', () => {
    let checked = 0;
    for (const [importer, specifiers] of Object.entries(LAZY_REQUIRES as Record<string, string[]>)) {
      const path = nodeRequire.resolve(importer);
      const source = readFileSync(path, 'utf8');
      for (const specifier of specifiers) {
        if (!source.includes(`__exportStar(require("${specifier}"), exports)`)) continue;
        const target = createRequire(path).resolve(specifier);
        const real = Object.keys(nodeRequire(target)).filter((k) => k !== 'default');
        expect(new Set(exportNames(readFileSync(target, 'utf8'))), target).toEqual(new Set(real));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('lazyRequires(): the rewrite', () => {
  const importer = join(root, 'node_modules', 'botbuilder-dialogs', 'lib', 'prompts', 'x.js');
  it('wraps top-level requires of the listed specifiers only, and warns about a listed one it cannot find', () => {
    const source = [
      'const a_1 = require("a");',
      'const B = __importStar(require("b"));',
      'exports.C = __importStar(require("c"));',
      'const d_1 = require("d");',
      'function f() { return require("a"); }',
    ].join('\n');
    const warnings: string[] = [];
    const out = lazyRequires(source, importer, ['a', 'b', 'c', 'missing'], (w: string) => warnings.push(w)) as string;
    expect(out.split('\n')).toEqual([
      'const a_1 = require("owari:lazy").lazy(() => require("a"));',
      'const B = require("owari:lazy").lazy(() => __importStar(require("b")));',
      'exports.C = require("owari:lazy").lazy(() => __importStar(require("c")));',
      'const d_1 = require("d");',
      'function f() { return require("a"); }',
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('missing');
  });
});

describe('the deferred packages in a bundle built like the server’s', () => {
  // Inside the repository, so that the left-out packages resolve from the bundle as from dist/server/.
  const dir = join(root, 'node_modules', '.cache', 'owari-lazy-modules-test');
  const outfile = join(dir, 'bundle.cjs');
  type Bundle = Record<'dialogs' | 'core' | 'botbuilder' | 'stdlib', Record<string, any>>;
  let bundled: Bundle;
  let loadedAtStart: string[];

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    const result = await build({
      stdin: {
        contents: "module.exports = { dialogs: require('botbuilder-dialogs'), core: require('botbuilder-core'), botbuilder: require('botbuilder'), stdlib: require('botbuilder-stdlib') };",
        resolveDir: root,
        loader: 'js',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
      plugins: await sourcePlugins(outfile),
    });
    expect(result.errors).toEqual([]);
    const leftOut = (id: string) => [...(LEFT_OUT as Set<string>)].some((p) => id.split(/[\\/]/).join('/').includes(`/node_modules/${p}/`));
    // Loaded by Node for the tests above: forgotten, so that the bundle's own loads show.
    for (const id of Object.keys(nodeRequire.cache).filter(leftOut)) delete nodeRequire.cache[id];
    bundled = nodeRequire(outfile) as Bundle;
    loadedAtStart = Object.keys(nodeRequire.cache).filter(leftOut);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loading the packages loads none of the left-out ones; using them does', async () => {
    expect(loadedAtStart).toEqual([]);
    await new bundled.dialogs.NumberPrompt('n').onRecognize({ activity: { type: 'message', text: '1', locale: 'en-us' } }, {}, {});
    expect(Object.keys(nodeRequire.cache).some((id) => id.includes('recognizers-text-number'))).toBe(true);
  });

  it('export the same names as the packages themselves', () => {
    for (const name of ['dialogs', 'core', 'botbuilder', 'stdlib'] as const) {
      const real = nodeRequire({ dialogs: 'botbuilder-dialogs', core: 'botbuilder-core', botbuilder: 'botbuilder', stdlib: 'botbuilder-stdlib' }[name]);
      expect(Object.keys(bundled[name]).sort(), name).toEqual(Object.keys(real).sort());
    }
  });

  it('prompts recognize numbers, dates, yes/no and choices as the packages do', async () => {
    const real = nodeRequire('botbuilder-dialogs');
    const context = (text: string) => ({ activity: { type: 'message', text, locale: 'en-us', channelId: 'test' } });
    for (const dialogs of [bundled.dialogs, real]) {
      const number = await new dialogs.NumberPrompt('n').onRecognize(context('twelve'), {}, {});
      expect(number).toEqual({ succeeded: true, value: 12 });
      const confirm = await new dialogs.ConfirmPrompt('c').onRecognize(context('yes please'), {}, {});
      expect(confirm).toEqual({ succeeded: true, value: true });
      const date = await new dialogs.DateTimePrompt('d').onRecognize(context('March 3rd 2021 at 5pm'), {}, {});
      expect(date.value[0].value).toBe('2021-03-03 17:00:00');
      const choice = await new dialogs.ChoicePrompt('h').onRecognize(context('the second one'), {}, { choices: ['red', 'blue'] });
      expect(choice.value).toMatchObject({ value: 'blue', index: 1 });
    }
    expect(bundled.dialogs.PromptCultureModels.getSupportedCultures()).toEqual(real.PromptCultureModels.getSupportedCultures());
    expect(bundled.dialogs.recognizeChoices('2', ['a', 'b', 'c'])).toEqual(real.recognizeChoices('2', ['a', 'b', 'c']));
  });

  it('the Bot Framework connector, its authentication and the SDK’s HTTP layer work when used', async () => {
    const { botbuilder, core, stdlib } = bundled;
    const adapter = new botbuilder.BotFrameworkAdapter({ appId: 'id', appPassword: 'secret' });
    expect(adapter.credentials.appId).toBe('id');
    const auth = new core.ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: 'id' });
    expect(typeof auth.authenticateRequest).toBe('function');
    expect(new botbuilder.CloudAdapter(auth)).toBeInstanceOf(core.CloudAdapterBase);
    expect(Object.keys(stdlib.AzureCoreHttpCompat).sort()).toEqual(Object.keys(nodeRequire('botbuilder-stdlib').AzureCoreHttpCompat).sort());
    const credentials = new botbuilder.BotFrameworkAdapter({}).credentialsProvider;
    expect(await credentials.isAuthenticationDisabled()).toBe(true);
  });

  it('the speak middleware parses SSML when used', async () => {
    const middleware = new bundled.botbuilder.SetSpeakMiddleware('voice', true);
    let send: (context: unknown, activities: object[], next: () => Promise<void>) => Promise<void> = async () => {};
    const context = { activity: { channelId: 'emulator' }, onSendActivities: (handler: typeof send) => (send = handler) };
    await middleware.onTurn(context, async () => {});
    const activity = { type: 'message', text: 'hi', locale: 'en-US' } as { speak?: string };
    await send(context, [activity], async () => {});
    expect(activity.speak).toBe("<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='en-US'><voice name='voice'>hi</voice></speak>");
  });
});
