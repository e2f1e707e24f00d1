/**
 * A source rewrite for the server bundle (scripts/build-server.mjs applies it as it loads each file).
 * Replaces tsc's `__awaiter(this, void 0, void 0, function* () { … yield x … })` in Botkit and the Bot Framework SDK with `(async () => { … await x … })()`: every call creates a generator function, which costs CPU in every turn (docs/benchmarks.md).
 *
 * The rewrite is exact for what tsc emits: the generator takes no parameters, its `this` is the caller's
 * `this` (kept by the arrow function), `arguments` is either unused or the enclosing function's (also kept
 * by the arrow), and each `yield x` becomes `(await (x))`. A call of any other shape is left alone.
 */
import { parse } from 'acorn';

/** Packages whose compiled output is rewritten (all of them ship tsc's ES2015 output). */
export const NATIVE_ASYNC_PACKAGES = /[\\/]node_modules[\\/](botkit|botbuilder[^\\/]*|botframework-[^\\/]*)[\\/].*\.js$/;

const isVoid0 = (node) => node.type === 'UnaryExpression' && node.operator === 'void' && node.argument.type === 'Literal' && node.argument.value === 0;
const isFunction = (node) => node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ArrowFunctionExpression';

/** Calls `visit(node, parentFunction)` for every node under `root`; `enter` may stop descending into a node. */
function walk(root, visit, enter = () => true) {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    visit(node);
    if (node !== root && !enter(node)) continue;
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child.type === 'string') stack.push(child);
      } else if (value && typeof value.type === 'string' && key !== 'loc') stack.push(value);
    }
  }
}

/** The generator's own yields, `this` and `await` identifiers (not those of nested non-arrow functions). */
function ownNodes(generator) {
  const yields = [];
  let usesThis = false;
  let usesAwaitName = false;
  let delegates = false;
  walk(
    generator.body,
    (node) => {
      if (node.type === 'YieldExpression') {
        yields.push(node);
        if (node.delegate) delegates = true;
      } else if (node.type === 'ThisExpression') usesThis = true;
      else if (node.type === 'Identifier' && node.name === 'await') usesAwaitName = true;
    },
    (node) => !(isFunction(node) && node.type !== 'ArrowFunctionExpression'),
  );
  return { yields, usesThis, usesAwaitName, delegates };
}

/** The rewritten source, or undefined when there is nothing to rewrite. */
export function nativeAsync(source) {
  if (!source.includes('__awaiter(')) return undefined;
  const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
  const edits = [];
  walk(ast, (node) => {
    if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== '__awaiter' || node.arguments.length !== 4) return;
    const [thisArg, args, promise, generator] = node.arguments;
    if (generator.type !== 'FunctionExpression' || !generator.generator || generator.async || generator.params.length > 0) return;
    if (!isVoid0(promise) || !(isVoid0(args) || (args.type === 'Identifier' && args.name === 'arguments'))) return;
    const own = ownNodes(generator);
    if (own.delegates || own.usesAwaitName) return;
    // An arrow function keeps the caller's `this`; a generator called with another `this` must not use it.
    if (thisArg.type !== 'ThisExpression' && own.usesThis) return;
    edits.push({ start: node.start, end: generator.body.start, text: '(async () => ' });
    edits.push({ start: generator.body.end, end: node.end, text: ')()' });
    for (const y of own.yields) {
      if (!y.argument) {
        edits.push({ start: y.start, end: y.end, text: '(await undefined)' });
        continue;
      }
      edits.push({ start: y.start, end: y.argument.start, text: '(await (' });
      edits.push({ start: y.argument.end, end: y.end, text: '))' });
    }
  });
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
