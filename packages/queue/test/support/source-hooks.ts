// `node --import ./source-hooks.ts worker.ts` runs a worker process against the TypeScript sources:
// `@sync/<package>` (and `/msw`, and core's `/redis` and `/postgres`) resolve to the package's `src/`, and `./x.js` to `./x.ts`.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const packages = new URL('../../../', import.meta.url);

registerHooks({
  resolve(specifier, context, next) {
    const store = /^@sync\/core\/(postgres|redis)$/.exec(specifier);
    if (store) return next(new URL(`core/src/${store[1]}-identifier-map.ts`, packages).href, context);
    const named = /^@sync\/([a-z]+)(\/msw)?$/.exec(specifier);
    if (named) {
      const entry = new URL(`${named[1]}/src/${named[2] ? 'msw/index.ts' : 'index.ts'}`, packages);
      if (existsSync(fileURLToPath(entry))) return next(entry.href, context);
    }
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
      const source = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
      if (existsSync(fileURLToPath(source))) return next(source.href, context);
    }
    return next(specifier, context);
  },
});
