import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonFileIdentifierMap } from '../src/identifier-map.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-idmap-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JsonFileIdentifierMap on disk', () => {
  it('reopens with everything that was set, and leaves no temporary files', async () => {
    const file = join(dir, 'ids.json');
    const map = await JsonFileIdentifierMap.open(file);
    await Promise.all(Array.from({ length: 200 }, (_, i) => map.set('p', 'listing', `e${i}`, `p${i}`)));
    await map.delete('p', 'listing', 'e0');
    await map.flush();
    const again = await JsonFileIdentifierMap.open(file);
    expect((await again.list('p')).length).toBe(199);
    expect(await again.get('p', 'listing', 'e199')).toBe('p199');
    expect(await again.findExternalId('p', 'listing', 'p5')).toBe('e5');
    expect(await readdir(dir)).toEqual(['ids.json']);
  });

  it('refuses a file that is not an identifier map', async () => {
    const file = join(dir, 'other.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"hello":1}'));
    await expect(JsonFileIdentifierMap.open(file)).rejects.toThrow(/not an identifier map/);
  });

  it('always holds a complete prefix of the writes when its writer is killed with SIGKILL', async () => {
    const script = fileURLToPath(new URL('./fixtures/write-loop.ts', import.meta.url));
    for (let round = 0; round < 4; round++) {
      const file = join(dir, `kill-${round}.json`);
      const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    }
  }, 30_000);
});
