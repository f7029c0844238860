// File-system refusals that a test running as root cannot cause for real (a full disk, a
// read-only mount, a denied read), simulated by failing calls of `node:fs/promises`.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StateStoreError } from '../src/errors.js';
import { JsonFileIdentifierMap } from '../src/json-file-identifier-map.js';

type Operation = 'readFile' | 'open' | 'write';
const faults = vi.hoisted(() => ({ active: [] as Array<{ operation: string; code: string; path: RegExp }> }));

function failing(operation: Operation, path: unknown): Error | undefined {
  const fault = faults.active.find((f) => f.operation === operation && f.path.test(String(path)));
  if (!fault) return undefined;
  return Object.assign(new Error(`${fault.code}: simulated, ${operation} '${String(path)}'`), {
    code: fault.code,
    syscall: operation,
    path: String(path),
  });
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    readFile: (async (path: unknown, ...rest: unknown[]) => {
      const error = failing('readFile', path);
      if (error) throw error;
      return (actual.readFile as (...args: unknown[]) => Promise<unknown>)(path, ...rest);
    }) as typeof actual.readFile,
    open: (async (path: unknown, ...rest: unknown[]) => {
      const error = failing('open', path);
      if (error) throw error;
      const handle = await (actual.open as (...args: unknown[]) => ReturnType<typeof actual.open>)(path, ...rest);
      const original = handle.writeFile.bind(handle);
      handle.writeFile = (async (...args: Parameters<typeof original>) => {
        const refused = failing('write', path);
        if (refused) throw refused;
        return original(...args);
      }) as typeof handle.writeFile;
      return handle;
    }) as typeof actual.open,
  };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-jsonmap-fs-'));
});
afterEach(async () => {
  faults.active.length = 0;
  await rm(dir, { recursive: true, force: true });
});

describe('JsonFileIdentifierMap when the file system refuses', () => {
  it.each([
    ['ENOSPC', 'write', /no space left/],
    ['EROFS', 'open', /read-only/],
    ['EACCES', 'open', /permission denied/],
  ] as const)(
    'a save refused with %s rejects, keeps the change in memory, and is done by a later flush',
    async (code, operation, words) => {
      const file = join(dir, 'ids.json');
      const map = await JsonFileIdentifierMap.open(file);
      await map.set('p', 'listing', 'a', '1');
      faults.active.push({ operation, code, path: /\.tmp$/ });

      const error = await map.set('p', 'listing', 'b', '2').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ file, problem: 'io', code, retryable: true });
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(words);
      expect(await map.get('p', 'listing', 'b')).toBe('2');
      await expect(map.flush()).rejects.toMatchObject({ code });
      await expect(map.flush()).rejects.toMatchObject({ code });
      expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

      faults.active.length = 0;
      await map.flush();
      await map.close();
      const reopened = await JsonFileIdentifierMap.open(file);
      expect((await reopened.list('p')).map((e) => e.portalId).sort()).toEqual(['1', '2']);
      await reopened.close();
    },
  );

  it('a read refused with EACCES at open names the file and releases the lock', async () => {
    const file = join(dir, 'ids.json');
    faults.active.push({ operation: 'readFile', code: 'EACCES', path: /ids\.json$/ });
    const error = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ file, problem: 'io', code: 'EACCES', retryable: false });
    expect((error as Error).message).toContain(`cannot read ${file}: permission denied (EACCES)`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a read-only directory at open is named with the lock file it could not create', async () => {
    const file = join(dir, 'ids.json');
    faults.active.push({ operation: 'open', code: 'EROFS', path: /\.lock$/ });
    const error = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StateStoreError', file, problem: 'io', code: 'EROFS' });
    expect((error as Error).message).toContain(`${file}.lock`);
  });
});
