import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateLockedError, StateStoreError, SyncError } from '../src/errors.js';
import { JsonFileIdentifierMap } from '../src/json-file-identifier-map.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

let dir: string;
const children = new Set<ChildProcess>();
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-jsonmap-'));
});
afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  await rm(dir, { recursive: true, force: true });
});

/** A child process running `fixtures/hold-state.ts` on `file`: one JSON line per event. */
function holder(file: string, externalId?: string) {
  const child = spawn(process.execPath, [join(FIXTURES, 'hold-state.ts'), file, ...(externalId ? [externalId] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  const lines: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      for (const waiter of waiting.splice(0)) waiter.reject(new Error(`holder exited with ${code}`));
      resolve(code);
    });
  });
  return {
    pid: child.pid,
    exited,
    next(): Promise<Record<string, unknown>> {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(JSON.parse(line));
      if (child.exitCode !== null) return Promise.reject(new Error('holder has exited'));
      return new Promise<string>((resolve, reject) => waiting.push({ resolve, reject })).then((l) => JSON.parse(l));
    },
    send(line: string) {
      child.stdin?.write(`${line}\n`);
    },
    kill() {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('JsonFileIdentifierMap on disk', () => {
  it('reopens with everything that was set, and leaves no temporary or lock files once closed', async () => {
    const file = join(dir, 'ids.json');
    const map = await JsonFileIdentifierMap.open(file);
    await Promise.all(Array.from({ length: 200 }, (_, i) => map.set('p', 'listing', `e${i}`, `p${i}`)));
    await map.delete('p', 'listing', 'e0');
    await map.close();
    const again = await JsonFileIdentifierMap.open(file);
    expect((await again.list('p')).length).toBe(199);
    expect(await again.get('p', 'listing', 'e199')).toBe('p199');
    expect(await again.findExternalId('p', 'listing', 'p5')).toBe('e5');
    await again.close();
    expect(await readdir(dir)).toEqual(['ids.json']);
  });

  it('refuses a file that is not an identifier map', async () => {
    const file = join(dir, 'other.json');
    await writeFile(file, '{"hello":1}');
    await expect(JsonFileIdentifierMap.open(file)).rejects.toThrow(/not an identifier map/);
  });

  it('always holds a complete prefix of the writes when its writer is killed with SIGKILL, and reopens', async () => {
    const script = join(FIXTURES, 'write-loop.ts');
    for (let round = 0; round < 4; round++) {
      const file = join(dir, `kill-${round}.json`);
      const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.add(child);
      let acknowledged = -1;
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text: string) => {
        for (const line of text.split('\n')) if (line) acknowledged = Number(line);
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Let it write for a while, then kill it at an arbitrary moment.
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (acknowledged >= 20 + round * 15) {
            clearInterval(check);
            resolve();
          }
        }, 2);
      });
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      child.kill('SIGKILL');
      await exited;

      const parsed = JSON.parse(await readFile(file, 'utf8')) as {
        entries: Array<{ externalId: string; portalId: string }>;
      };
      const ids = parsed.entries.map((e) => e.externalId);
      expect(ids).toEqual(ids.map((_, i) => `ext-${i}`));
      expect(parsed.entries.every((e, i) => e.portalId === `id-${i}`)).toBe(true);
      // Everything the writer saw confirmed is there.
      expect(ids.length).toBeGreaterThanOrEqual(acknowledged + 1);

      // The killed writer's lock is stale (its pid is gone): the next open takes it over.
      expect(await exists(`${file}.lock`)).toBe(true);
      const map = await JsonFileIdentifierMap.open(file);
      expect((await map.list('portal')).length).toBe(ids.length);
      await map.close();
      expect((await readdir(dir)).filter((n) => n.startsWith(`kill-${round}.`))).toEqual([`kill-${round}.json`]);
    }
  }, 30_000);
});

describe('JsonFileIdentifierMap: one writer per file', () => {
  it('refuses a second process at open, naming the file and the holder', async () => {
    const file = join(dir, 'ids.json');
    const before = new Date().toISOString();
    const map = await JsonFileIdentifierMap.open(file);
    await map.set('p', 'listing', 'mine', '1');
    const other = holder(file, 'theirs');
    const answer = await other.next();
    expect(answer).toMatchObject({
      error: 'StateLockedError',
      file,
      holder: { pid: process.pid, host: hostname() },
    });
    const since = (answer.holder as { since: string }).since;
    expect(since >= before).toBe(true);
    expect(answer.message).toContain(file);
    expect(answer.message).toContain(`process ${process.pid} on ${hostname()} since ${since}`);
    await other.exited;
    // The refused process wrote nothing.
    await map.close();
    const reopened = await JsonFileIdentifierMap.open(file);
    expect(await reopened.list('p')).toMatchObject([
      { portal: 'p', kind: 'listing', externalId: 'mine', portalId: '1' },
    ]);
    await reopened.close();
  }, 20_000);

  it('refuses this process while another one holds the file, and opens with its entries once it closes', async () => {
    const file = join(dir, 'ids.json');
    const other = holder(file, 'theirs');
    expect(await other.next()).toEqual({ opened: true, entries: 1 });

    const refused = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StateLockedError);
    expect(refused).toBeInstanceOf(StateStoreError);
    expect(refused).toMatchObject({ file, problem: 'locked', holder: { pid: other.pid, host: hostname() } });

    other.send('close');
    expect(await other.next()).toEqual({ closed: true });
    await other.exited;
    const map = await JsonFileIdentifierMap.open(file);
    expect(await map.get('p', 'listing', 'theirs')).toBe('id-of-theirs');
    await map.close();
  }, 20_000);

  it('of two writers started together, one writes and the other is refused: nothing acknowledged is lost', async () => {
    const file = join(dir, 'ids.json');
    const script = join(FIXTURES, 'write-loop.ts');
    const runs = [0, 1].map(() => {
      const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      const run = {
        child,
        acknowledged: -1,
        stderr: '',
        exited: new Promise<number | null>((r) => child.on('exit', r)),
      };
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        for (const line of text.split('\n')) if (line) run.acknowledged = Number(line);
      });
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        run.stderr += text;
      });
      return run;
    });
    // One of them fails at open; wait for that, then for the other to write a while.
    const refused = await Promise.race(runs.map((r) => r.exited.then(() => r)));
    const writer = runs.find((r) => r !== refused);
    if (!writer) throw new Error('unreachable');
    expect(await refused.exited).not.toBe(0);
    expect(refused.stderr).toContain('StateLockedError');
    expect(refused.acknowledged).toBe(-1);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (writer.acknowledged >= 30) {
          clearInterval(check);
          resolve();
        }
      }, 2);
    });
    writer.child.kill('SIGKILL');
    await writer.exited;
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { entries: Array<{ externalId: string }> };
    const ids = new Set(parsed.entries.map((e) => e.externalId));
    for (let i = 0; i <= writer.acknowledged; i++) expect(ids.has(`ext-${i}`), `ext-${i}`).toBe(true);
  }, 20_000);

  it('is released when its holder exits without closing', async () => {
    const file = join(dir, 'ids.json');
    const other = holder(file, 'theirs');
    expect(await other.next()).toMatchObject({ opened: true });
    expect(await exists(`${file}.lock`)).toBe(true);
    other.send('exit');
    expect(await other.exited).toBe(0);
    expect(await exists(`${file}.lock`)).toBe(false);
    const map = await JsonFileIdentifierMap.open(file);
    expect(await map.get('p', 'listing', 'theirs')).toBe('id-of-theirs');
    await map.close();
  }, 20_000);

  it('is taken over from a holder that was killed, and is ours from then on', async () => {
    const file = join(dir, 'ids.json');
    const other = holder(file, 'theirs');
    expect(await other.next()).toMatchObject({ opened: true });
    await other.kill();
    const left = JSON.parse(await readFile(`${file}.lock`, 'utf8')) as { pid: number };
    expect(left.pid).toBe(other.pid);

    const map = await JsonFileIdentifierMap.open(file);
    expect(await map.get('p', 'listing', 'theirs')).toBe('id-of-theirs');
    const lock = JSON.parse(await readFile(`${file}.lock`, 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    // A third process is refused by the new holder.
    const third = holder(file);
    expect(await third.next()).toMatchObject({ error: 'StateLockedError', holder: { pid: process.pid } });
    await map.close();
  }, 20_000);

  it('refuses a second open in the same process until the first one is closed', async () => {
    const file = join(dir, 'ids.json');
    const first = await JsonFileIdentifierMap.open(file);
    const second = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(StateLockedError);
    expect((second as Error).message).toContain(`process ${process.pid} (this process)`);
    await first.set('p', 'listing', 'a', '1');
    await first.close();
    await first.close(); // closing twice is harmless
    await expect(first.set('p', 'listing', 'b', '2')).rejects.toMatchObject({ problem: 'closed', file });
    const again = await JsonFileIdentifierMap.open(file);
    expect(await again.list('p')).toHaveLength(1);
    await again.close();
  });

  it('does not take over a lock whose holder it cannot check: unreadable, or on another host', async () => {
    const file = join(dir, 'ids.json');
    await writeFile(`${file}.lock`, 'SECRET-IN-LOCK not a lock record');
    const unknown = (await JsonFileIdentifierMap.open(file).catch((e: unknown) => e)) as StateLockedError;
    expect(unknown).toBeInstanceOf(StateLockedError);
    expect(unknown.holder).toBeUndefined();
    expect(unknown.message).toContain(`delete ${file}.lock if no process uses the file`);
    expect(JSON.stringify(unknown)).not.toContain('SECRET');

    const since = '2024-01-01T00:00:00.000Z';
    await writeFile(`${file}.lock`, JSON.stringify({ pid: 2_000_000_000, host: 'elsewhere.example', since }));
    const remote = (await JsonFileIdentifierMap.open(file).catch((e: unknown) => e)) as StateLockedError;
    expect(remote).toMatchObject({ holder: { pid: 2_000_000_000, host: 'elsewhere.example', since } });
    expect(remote.message).toContain(`delete ${file}.lock if that process is gone`);
    expect(await exists(file)).toBe(false);
  });
});

describe('JsonFileIdentifierMap: temporary files', () => {
  it('removes the temporary files a killed writer left, and nothing else', async () => {
    const file = join(dir, 'ids.json');
    const orphans = ['ids.json.4242.0123abcd.tmp', 'ids.json.7.deadbeef.tmp'];
    const others = [
      'ids.json.tmp',
      'ids.json.4242.0123abcd.tmp.keep',
      'ids.json.x.0123abcd.tmp',
      'other.json.4242.0123abcd.tmp',
      'idsXjson.4242.0123abcd.tmp',
    ];
    for (const name of [...orphans, ...others]) await writeFile(join(dir, name), '{"version":1,"entries":[]}');
    const map = await JsonFileIdentifierMap.open(file);
    await map.set('p', 'listing', 'a', '1');
    await map.close();
    expect((await readdir(dir)).sort()).toEqual(['ids.json', ...others].sort());
  });
});

describe('JsonFileIdentifierMap: saves that fail', () => {
  it('rejects the change and every flush while it is not on disk, keeps it in memory, and saves it later', async () => {
    const file = join(dir, 'ids.json');
    const map = await JsonFileIdentifierMap.open(file);
    await map.set('p', 'listing', 'a', '1');
    // A directory where the file is: the rename onto it fails.
    await rm(file);
    await mkdir(join(file, 'in-the-way'), { recursive: true });

    const failed = await map.set('p', 'listing', 'b', '2').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StateStoreError);
    expect(failed).toMatchObject({ file, problem: 'io', code: 'EISDIR', retryable: true });
    expect((failed as Error).message).toContain(file);
    expect(await map.get('p', 'listing', 'b')).toBe('2');
    await expect(map.flush()).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(map.flush()).rejects.toBeInstanceOf(StateStoreError);
    // Closing would drop what is not on disk: it refuses and keeps the lock.
    await expect(map.close()).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await exists(`${file}.lock`)).toBe(true);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    await rm(file, { recursive: true });
    await map.flush();
    await map.close();
    const reopened = await JsonFileIdentifierMap.open(file);
    expect((await reopened.list('p')).map((e) => e.externalId).sort()).toEqual(['a', 'b']);
    await reopened.close();
  });
});

describe('JsonFileIdentifierMap: files it cannot read', () => {
  it('names the file when a directory is where the file should be, and leaves no lock', async () => {
    const file = join(dir, 'ids.json');
    await mkdir(file);
    const error = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ file, problem: 'io', code: 'EISDIR' });
    expect((error as Error).message).toContain(`cannot read ${file}`);
    expect(await exists(`${file}.lock`)).toBe(false);
  });

  it('names the file when a part of its path is a file', async () => {
    await writeFile(join(dir, 'plain'), 'x');
    const file = join(dir, 'plain', 'state', 'ids.json');
    const error = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StateStoreError', file, problem: 'io', code: 'ENOTDIR' });
    expect((error as Error).message).toContain(file);
  });

  it.skipIf(process.getuid?.() === 0)('names the file when it may not be read', async () => {
    const file = join(dir, 'ids.json');
    await writeFile(file, '{"version":1,"entries":[]}');
    await chmod(file, 0o000);
    await expect(JsonFileIdentifierMap.open(file)).rejects.toMatchObject({ file, code: 'EACCES' });
  });

  const valid = JSON.stringify({
    version: 1,
    entries: [{ portal: 'p', kind: 'k', externalId: 'SECRET-1', portalId: 'x' }],
  });
  const damaged: Array<[string, string | Buffer]> = [
    ['truncated', valid.slice(0, valid.length - 9)],
    ['empty', ''],
    ['only whitespace', ' \n'],
    ['NUL bytes', Buffer.alloc(64)],
    ['NUL bytes after valid JSON', `${valid}\u0000\u0000`],
    ['a byte-order mark', `\uFEFF${valid}`],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['null', 'null'],
    ['an array', `[${valid}]`],
    ['no version', JSON.stringify({ entries: [], note: 'SECRET-2' })],
    ['entries that are not a list', JSON.stringify({ version: 1, entries: { SECRET: 1 } })],
    [
      'an entry of the wrong shape',
      JSON.stringify({ version: 1, entries: [{ portal: 'p', kind: 'k', id: 'SECRET' }] }),
    ],
  ];
  it.each(damaged)(
    'refuses a file that is %s, naming it, quoting nothing of it, and leaving it as it is',
    async (_, content) => {
      const file = join(dir, 'ids.json');
      await writeFile(file, content);
      const error = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ file, problem: 'corrupt', code: undefined });
      expect((error as Error).message).toContain(file);
      expect(JSON.stringify(error)).not.toMatch(/SECRET|portalId":|version":/);
      expect(await readFile(file)).toEqual(Buffer.from(content));
      expect(await exists(`${file}.lock`)).toBe(false);
    },
  );

  it('refuses a file of a newer format version and never rewrites it in the older one', async () => {
    const file = join(dir, 'ids.json');
    const newer = JSON.stringify({ version: 2, entries: [], fingerprints: { SECRET: 'x' } });
    await writeFile(file, newer);
    const error = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StateStoreError', file, problem: 'unsupported-version' });
    expect((error as Error).message).toMatch(/newer format/);
    expect(JSON.stringify(error)).not.toContain('SECRET');
    expect(await readFile(file, 'utf8')).toBe(newer);
    expect(await exists(`${file}.lock`)).toBe(false);
  });

  it("never shows a symlink target's content", async () => {
    const secret = join(dir, 'secret.txt');
    await writeFile(secret, 'password=SECRET-TOKEN-42\n');
    const file = join(dir, 'ids.json');
    await symlink(secret, file);
    const error = await JsonFileIdentifierMap.open(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StateStoreError', file, problem: 'corrupt' });
    expect(JSON.stringify(error)).not.toContain('SECRET');
    expect(String((error as Error).stack)).not.toContain('SECRET');
  });
});

describe('state store errors', () => {
  it('keep their brands across a second copy of the module, and are SyncErrors', async () => {
    // @ts-expect-error TypeScript does not resolve a specifier with a query string.
    const copy = (await import('../src/errors.ts?state-copy')) as typeof import('../src/errors.js');
    const foreign = new copy.StateLockedError('in use', {
      file: '/s.json',
      holder: undefined,
      lockFile: '/s.json.lock',
    });
    expect(foreign).toBeInstanceOf(StateLockedError);
    expect(foreign).toBeInstanceOf(StateStoreError);
    expect(foreign).toBeInstanceOf(SyncError);
    expect(foreign).toMatchObject({ name: 'StateLockedError', problem: 'locked', retryable: true });
    expect(new copy.StateStoreError('x', { file: '/s.json', problem: 'corrupt' })).not.toBeInstanceOf(StateLockedError);
  });
});
