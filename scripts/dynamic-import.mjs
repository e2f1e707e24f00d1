/**
 * For the server bundle: `import(x)` of a specifier computed at run time (optional packages some dependencies
 * load if installed) becomes `__owariImport(x)`, which dist/server/main.js provides as its own `import()`.
 * An import() of a constant specifier is left to esbuild, which bundles it.
 *
 * Why: the bundle runs through vm.Script, for V8's code cache (scripts/server-main.mjs), and on Node 20 an
 * import() inside a vm.Script needs --experimental-vm-modules. The bundle's import() resolved from
 * dist/server/main.js before; __owariImport resolves from the same file.
 */
import { parse } from 'acorn';

const MAYBE = /(^|[^.\w$])import\s*\(/;
/** A specifier esbuild resolves at build time: that import() is bundled, not left in the output. */
const isConstant = (node) => node.type === 'Literal' || (node.type === 'TemplateLiteral' && node.expressions.length === 0);

/** The source with its import() expressions renamed, or undefined if it has none. */
export function dynamicImports(source, path = 'source') {
  if (!MAYBE.test(source)) return undefined;
  let ast;
  for (const sourceType of ['module', 'script']) {
    try {
      ast = parse(source, { ecmaVersion: 'latest', sourceType, allowReturnOutsideFunction: true, allowHashBang: true, allowAwaitOutsideFunction: true });
      break;
    } catch {
      // CommonJS in sloppy mode: try again as a script
    }
  }
  if (!ast) throw new Error(`dynamic-import: cannot parse ${path}`);
  const starts = [];
  const stack = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node.type === 'ImportExpression' && !isConstant(node.source)) starts.push(node.start);
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (Array.isArray(value)) for (const child of value) child && typeof child.type === 'string' && stack.push(child);
      else if (value && typeof value.type === 'string') stack.push(value);
    }
  }
  if (starts.length === 0) return undefined;
  starts.sort((a, b) => b - a);
  let out = source;
  for (const start of starts) out = `${out.slice(0, start)}__owariImport${out.slice(start + 'import'.length)}`;
  return out;
}
