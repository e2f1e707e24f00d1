/**
 * An esbuild plugin for the server bundle: modules that the server never uses at start-up are evaluated on
 * first use instead of when the bundle loads. Each deferral below says in one line what it defers and why (the
 * start-up CPU each saves: docs/benchmarks.md).
 *
 * How: in the listed importer files (CommonJS compiled by tsc), a top-level
 *   const X = require("m");   const X = __importStar(require("m"));
 * becomes `const X = lazy(() => <the same expression>)`: a proxy that evaluates the expression — the real
 * require — on the first operation on X (a property read, `in`, Object.keys…) and forwards every operation to
 * the real module from then on. And `__exportStar(require("m"), exports)` becomes getters for m's export
 * names (read statically from m's source, as Node's cjs-module-lexer does), each requiring m on first read.
 * Nothing is left out or replaced: the same code runs, later, if ever. A listed pattern that is not found
 * (after a dependency update) only costs the saving: the build warns and keeps the file as it is.
 * test/build/lazy-modules.test.ts checks the proxies and the export names against the real modules.
 */
import { parse } from 'acorn';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Importer file (relative to node_modules) → the specifiers it requires lazily. */
export const LAZY_REQUIRES = {};
/** Deferred specifiers left out of the bundle: required from node_modules at first use. */
export const LEFT_OUT = new Set();
/**
 * Defers `specifier` in each importer. A module is only deferred if every file that requires it is listed and
 * none of them uses it while loading. `leaveOut`: the module is not bundled at all but required from
 * node_modules on first use (for self-contained packages that share no state with the bundle): a smaller
 * bundle to read at every start.
 */
function defer(specifier, importers, { leaveOut = false } = {}) {
  for (const importer of importers) (LAZY_REQUIRES[importer] ??= []).push(specifier);
  if (leaveOut) LEFT_OUT.add(specifier);
}

// Defers and leaves out of the bundle Recognizers-Text (regular-expression tables in ten languages built at load), used only by Botkit's dialog prompts, which we never run: start-up CPU and memory (docs/benchmarks.md).
const recognizers = { leaveOut: true };
defer('@microsoft/recognizers-text-date-time', ['botbuilder-dialogs/lib/prompts/datetimePrompt.js'], recognizers);
defer('@microsoft/recognizers-text-choice', ['botbuilder-dialogs/lib/prompts/confirmPrompt.js'], recognizers);
defer('@microsoft/recognizers-text-number', ['botbuilder-dialogs/lib/prompts/numberPrompt.js', 'botbuilder-dialogs/lib/choices/recognizeChoices.js'], recognizers);
LEFT_OUT.add('@microsoft/recognizers-text-suite');
// Defers PromptCultureModels, which reads Recognizers-Text's culture names while loading: without it Recognizers-Text would load at start.
defer('./promptCultureModels', ['botbuilder-dialogs/lib/prompts/index.js', 'botbuilder-dialogs/lib/prompts/choicePrompt.js', 'botbuilder-dialogs/lib/prompts/confirmPrompt.js']);

// Defers the Bot Framework connector (axios, @azure/*, jsonwebtoken: the Bot Framework channel's REST client), which our in-process adapter never calls: start-up CPU and memory (docs/benchmarks.md).
defer('botframework-connector', [
  'botkit/lib/adapter.js',
  'botbuilder/lib/botFrameworkAdapter.js',
  'botbuilder/lib/botFrameworkHttpClient.js',
  'botbuilder/lib/channelServiceHandler.js',
  'botbuilder/lib/cloudAdapter.js',
  'botbuilder/lib/inspectionMiddleware.js',
  'botbuilder/lib/skills/skillHandler.js',
  'botbuilder/lib/skills/skillHandlerImpl.js',
  'botbuilder/lib/skills/skillHttpClient.js',
  'botbuilder/lib/teamsActivityHandler.js',
  'botbuilder/lib/teamsInfo.js',
  'botbuilder-core/lib/cloudAdapterBase.js',
  'botbuilder-core/lib/showTypingMiddleware.js',
  'botbuilder-dialogs/lib/dialogHelper.js',
  'botbuilder-dialogs/lib/prompts/oauthPrompt.js',
]);
defer('axios', ['botbuilder/lib/botFrameworkHttpClient.js']);
// Defers these two, which read the connector's constants while loading: without it the connector would load at start.
defer('./configurationBotFrameworkAuthentication', ['botbuilder-core/lib/index.js']);
defer('./configurationServiceClientCredentialFactory', ['botbuilder-core/lib/index.js']);

const RUNTIME = 'owari:lazy';

/** The runtime helpers, a CommonJS module of the bundle (virtual: resolved by the plugin). */
export const runtimeSource = `'use strict';
/** A stand-in for the value load() returns (an object), loading it on the first operation. */
exports.lazy = function lazy(load) {
  let real;
  let loaded = false;
  const target = {};
  const get = () => {
    if (!loaded) {
      real = load();
      loaded = true;
    }
    return real;
  };
  return new Proxy(target, {
    get: (_, key) => Reflect.get(get(), key),
    set: (_, key, value) => Reflect.set(get(), key, value),
    has: (_, key) => Reflect.has(get(), key),
    deleteProperty: (_, key) => Reflect.deleteProperty(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
    getOwnPropertyDescriptor(_, key) {
      const desc = Reflect.getOwnPropertyDescriptor(get(), key);
      // A proxy may report a non-configurable property only if its target has it too.
      if (desc && !desc.configurable && !Reflect.getOwnPropertyDescriptor(target, key)) Reflect.defineProperty(target, key, desc);
      return desc;
    },
    defineProperty(_, key, desc) {
      if (!Reflect.defineProperty(get(), key, desc)) return false;
      if (desc.configurable === false) Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(real, key));
      return true;
    },
  });
};
/** tsc's __exportStar(load(), exports) for the given names, each loading the module on its first read. */
exports.exportStar = function exportStar(load, exports, names) {
  let real;
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(exports, name)) continue;
    Object.defineProperty(exports, name, { enumerable: true, get: () => (real ??= load())[name] });
  }
};
`;

/** Walks an acorn AST (no `loc` keys), calling visit(node) for every node. */
function walk(node, visit) {
  visit(node);
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) child && typeof child.type === 'string' && walk(child, visit);
    else if (value && typeof value.type === 'string') walk(value, visit);
  }
}

const isRequireOf = (node, specifier) =>
  node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1 && node.arguments[0].type === 'Literal' && node.arguments[0].value === specifier;

/** require("m"), __importStar(require("m")) or __importDefault(require("m")). */
const isRequireExpression = (node, specifier) =>
  isRequireOf(node, specifier) ||
  (node.type === 'CallExpression' && node.callee.type === 'Identifier' && /^__import(Star|Default)$/.test(node.callee.name) && node.arguments.length === 1 && isRequireOf(node.arguments[0], specifier));

/**
 * The names a tsc-compiled CommonJS module exports, read from its source the way Node's cjs-module-lexer does:
 * `exports.X = …`, `Object.defineProperty(exports, "X", …)`. Returns undefined if the module exports in any
 * other way (a re-export of another module, an assignment to module.exports…): its names are then unknown.
 */
export function exportNames(source) {
  const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
  const names = new Set();
  let unknown = false;
  const isExports = (node) => node.type === 'Identifier' && node.name === 'exports';
  walk(ast, (node) => {
    if (node.type === 'MemberExpression' && isExports(node.object)) {
      if (!node.computed && node.property.type === 'Identifier') names.add(node.property.name);
      else if (node.computed && node.property.type === 'Literal') names.add(String(node.property.value));
      else unknown = true;
    } else if (node.type === 'CallExpression') {
      const [first, second] = node.arguments;
      const callee = node.callee;
      const isDefine = callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Object' && callee.property.name === 'defineProperty';
      if (isDefine && first && isExports(first)) {
        if (second?.type === 'Literal') names.add(String(second.value));
        else unknown = true;
      } else if (callee.type === 'Identifier' && (callee.name === '__exportStar' || callee.name === '__export')) unknown = true;
    }
    if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && node.object.name === 'module' && node.property.name === 'exports') unknown = true;
  });
  if (unknown) return undefined;
  names.delete('__esModule');
  names.delete('default');
  return [...names];
}

/**
 * The importer's source with its listed requires made lazy, or undefined if nothing changed. `warn` receives
 * one message per listed specifier that was not found in a recognized form.
 */
export function lazyRequires(source, importerPath, specifiers, warn = () => {}) {
  const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
  const edits = [];
  const done = new Set();
  const req = createRequire(importerPath);
  for (const statement of ast.body) {
    for (const specifier of specifiers) {
      if (statement.type === 'VariableDeclaration' && statement.declarations.length === 1) {
        const init = statement.declarations[0].init;
        if (!init) continue;
        if (isRequireExpression(init, specifier)) {
          edits.push({ start: init.start, end: init.start, text: `require(${JSON.stringify(RUNTIME)}).lazy(() => ` });
          edits.push({ start: init.end, end: init.end, text: ')' });
          done.add(specifier);
        }
      } else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
        // exports.X = require("m") / exports.X = __importStar(require("m"))
        const { left, right } = statement.expression;
        const toExports = left.type === 'MemberExpression' && left.object.type === 'Identifier' && left.object.name === 'exports';
        if (toExports && isRequireExpression(right, specifier)) {
          edits.push({ start: right.start, end: right.start, text: `require(${JSON.stringify(RUNTIME)}).lazy(() => ` });
          edits.push({ start: right.end, end: right.end, text: ')' });
          done.add(specifier);
        }
      } else if (statement.type === 'ExpressionStatement') {
        const call = statement.expression;
        if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== '__exportStar') continue;
        const [module, target] = call.arguments;
        if (!module || !isRequireOf(module, specifier) || target?.type !== 'Identifier' || target.name !== 'exports') continue;
        const names = exportNames(readFileSync(req.resolve(specifier), 'utf8'));
        if (!names) {
          warn(`lazy-modules: the exports of ${specifier} (from ${importerPath}) cannot be read statically; left as is`);
          done.add(specifier);
          continue;
        }
        edits.push({
          start: call.start,
          end: call.end,
          text: `require(${JSON.stringify(RUNTIME)}).exportStar(() => ${source.slice(module.start, module.end)}, exports, ${JSON.stringify(names)})`,
        });
        done.add(specifier);
      }
    }
  }
  for (const specifier of specifiers) if (!done.has(specifier)) warn(`lazy-modules: no top-level require("${specifier}") in ${importerPath}; left as is`);
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The importers' paths, as an esbuild onLoad filter (Go regular expression syntax). */
const IMPORTERS = new RegExp(`[\\\\/]node_modules[\\\\/](${Object.keys(LAZY_REQUIRES).map((p) => p.replace(/[.]/g, '\\.').replaceAll('/', '[\\\\/]')).join('|')})$`);

/** The specifiers `path` requires lazily, or undefined if it is not a listed importer. */
export function lazySpecifiersOf(path) {
  const match = IMPORTERS.exec(path);
  return match ? LAZY_REQUIRES[match[1].replaceAll('\\', '/')] : undefined;
}

/**
 * The plugin's resolving part: the runtime helpers (owari:lazy) and the left-out packages. `bundle`: the output
 * file's path. The rewriting, lazyRequires(), is applied by scripts/build-server.mjs with the other source
 * transforms (esbuild runs only one onLoad callback per file).
 */
export function lazyModulesPlugin({ bundle }) {
  const fromBundle = createRequire(bundle);
  const leftOut = new RegExp(`^(${[...LEFT_OUT].map((s) => s.replace(/[.]/g, '\\.')).join('|')})$`);
  return {
    name: 'lazy-modules',
    setup(build) {
      // A left-out package stays a require() of the bundle, resolved from dist/server/ at first use — only if
      // that finds the very file the importer would have found.
      build.onResolve({ filter: leftOut }, (args) => {
        if (args.kind !== 'require-call') return undefined;
        const same = createRequire(args.importer).resolve(args.path) === fromBundle.resolve(args.path);
        return same ? { path: args.path, external: true } : undefined;
      });
      build.onResolve({ filter: /^owari:lazy$/ }, () => ({ path: 'lazy', namespace: 'owari-lazy' }));
      build.onLoad({ filter: /.*/, namespace: 'owari-lazy' }, () => ({ contents: runtimeSource, loader: 'js' }));
    },
  };
}
