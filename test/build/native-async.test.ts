/**
 * scripts/native-async.mjs rewrites tsc's __awaiter generators in Botkit and the Bot Framework SDK into native
 * async functions for the server bundle. The rewrite must not change what the code does: these tests run
 * the same tsc-shaped code before and after and compare, and check that the real packages still parse.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { nativeAsync, NATIVE_ASYNC_PACKAGES } from '../../scripts/native-async.mjs';

/** tsc's ES2015 helper, verbatim. */
const AWAITER = `var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};`;

/** tsc output of a small class using this, arguments, try/catch/finally, rejections and yield in expressions. */
const MODULE = `${AWAITER}
class Greeter {
    constructor(name) { this.name = name; this.log = []; }
    greet(delay) {
        return __awaiter(this, void 0, void 0, function* () {
            const parts = [yield Promise.resolve('hello'), this.name];
            this.log.push(yield delay || 'no delay');
            return parts.join(' ');
        });
    }
    count() {
        return __awaiter(this, arguments, void 0, function* () {
            return arguments.length + (yield 0);
        });
    }
    safely(fail) {
        return __awaiter(this, void 0, void 0, function* () {
            try {
                yield (fail ? Promise.reject(new Error('boom')) : 1);
                return 'ok';
            } catch (err) {
                return 'caught ' + err.message;
            } finally {
                this.log.push('finally');
            }
        });
    }
    nested() {
        return __awaiter(this, void 0, void 0, function* () {
            const inner = (x) => __awaiter(this, void 0, void 0, function* () { return (yield x) * 2; });
            const values = yield Promise.all([inner(1), inner(Promise.resolve(2))]);
            function* plain() { yield 'kept'; }
            return [...values, ...plain()];
        });
    }
    throws() {
        return __awaiter(this, void 0, void 0, function* () { throw new Error('sync throw'); });
    }
}
module.exports = { Greeter };`;

function load(source: string): any {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', source)(module, module.exports);
  return module.exports;
}

async function behaviour(source: string) {
  const { Greeter } = load(source);
  const g = new Greeter('尾張');
  return {
    greet: await g.greet(),
    greetDelayed: await g.greet(Promise.resolve('late')),
    count: await g.count(1, 2, 3),
    safe: await g.safely(false),
    failed: await g.safely(true),
    nested: await g.nested(),
    thrown: await g.throws().catch((e: Error) => e.message),
    log: g.log,
  };
}

describe('native async rewrite of tsc __awaiter generators (server bundle)', () => {
  it('rewrites every tsc-shaped __awaiter call into an async arrow', () => {
    const out = nativeAsync(MODULE) as string;
    expect(out).not.toMatch(/__awaiter\(this, (void 0|arguments), void 0, function\*/);
    expect(out).toContain('(async () => {');
    // The plain generator is not an __awaiter call and stays a generator.
    expect(out).toContain("function* plain() { yield 'kept'; }");
  });

  it('does the same as the original: values, this, arguments, try/catch/finally, rejections, nesting', async () => {
    const before = await behaviour(MODULE);
    expect(before.greet).toBe('hello 尾張');
    expect(before.failed).toBe('caught boom');
    expect(await behaviour(nativeAsync(MODULE) as string)).toEqual(before);
  });

  it('keeps `yield a || b` meaning await (a || b), not (await a) || b', async () => {
    const source = `${AWAITER}\nmodule.exports = { f: (a, b) => __awaiter(this, void 0, void 0, function* () { return yield a || b; }) };`;
    // a is a promise (truthy) of 0: await (a || b) is 0, where (await a) || b would be 5.
    expect(await load(source).f(Promise.resolve(0), 5)).toBe(0);
    expect(await load(nativeAsync(source) as string).f(Promise.resolve(0), 5)).toBe(0);
  });

  it('leaves alone a generator that needs its own `this` or takes parameters', () => {
    const otherThis = `${AWAITER}\nfunction f() { return __awaiter(void 0, void 0, void 0, function* () { return this; }); }`;
    const params = `${AWAITER}\nfunction f() { return __awaiter(this, void 0, void 0, function* (x) { return yield x; }); }`;
    expect(nativeAsync(otherThis)).toBeUndefined();
    expect(nativeAsync(params)).toBeUndefined();
  });

  it('rewrites the installed Botkit and Bot Framework packages into code that still parses', () => {
    const files: string[] = [];
    for (const pkg of ['botkit', 'botbuilder-core', 'botbuilder-adapter-web']) {
      const dir = join('node_modules', pkg, 'lib');
      for (const f of readdirSync(dir, { recursive: true }) as string[]) if (f.endsWith('.js')) files.push(join(process.cwd(), dir, f));
    }
    let rewritten = 0;
    for (const file of files) {
      expect(NATIVE_ASYNC_PACKAGES.test(file)).toBe(true);
      const out = nativeAsync(readFileSync(file, 'utf8'));
      if (out === undefined) continue;
      rewritten++;
      expect(() => new Function('exports', 'require', 'module', '__filename', '__dirname', out)).not.toThrow();
      expect(out).not.toMatch(/__awaiter\(this, void 0, void 0, function\* \(\)/);
    }
    expect(rewritten).toBeGreaterThan(10);
  });
});
