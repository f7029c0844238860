import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('node:module');
  vi.resetModules();
});

describe('the mock without its optional peer xmllint-wasm', () => {
  it('refuses to start with an error that names the package to install', async () => {
    vi.resetModules();
    vi.doMock('node:module', async (importOriginal) => {
      const actual = await importOriginal<typeof import('node:module')>();
      const createRequire = (from: string | URL) => {
        const real = actual.createRequire(from);
        const resolve = (id: string, options?: { paths?: string[] }) => {
          if (id.startsWith('xmllint-wasm'))
            throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
          return real.resolve(id, options);
        };
        return Object.assign(real, { resolve });
      };
      return { ...actual, createRequire, default: { ...actual, createRequire } };
    });
    const { IndomioMockPortal } = await import('../src/msw/index.js');
    expect(() => new IndomioMockPortal()).toThrow(
      /optional peer dependency "xmllint-wasm".*npm install --save-dev xmllint-wasm/,
    );
  });
});
