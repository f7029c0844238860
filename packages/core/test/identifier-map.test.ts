import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IdentifierMap, MemoryIdentifierMap } from '../src/identifier-map.js';
import { JsonFileIdentifierMap } from '../src/json-file-identifier-map.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-idmap-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const implementations: Array<[string, () => Promise<IdentifierMap>]> = [
  ['MemoryIdentifierMap', async () => new MemoryIdentifierMap()],
  ['JsonFileIdentifierMap', () => JsonFileIdentifierMap.open(join(dir, 'state', 'ids.json'))],
];

describe.each(implementations)('%s', (_name, make) => {
  it('gets, sets, deletes and lists by portal, kind and external id', async () => {
    const map = await make();
    await map.set('rentix', 'listing', 'L-1', '101');
    await map.set('rentix', 'listing', 'L-2', '102');
    await map.set('rentix', 'user', 'L-1', 'u-9');
    await map.set('indomio', 'listing', 'L-1', 'X1');
    expect(await map.get('rentix', 'listing', 'L-1')).toBe('101');
    expect(await map.get('rentix', 'user', 'L-1')).toBe('u-9');
    expect(await map.get('pfcrm', 'listing', 'L-1')).toBeUndefined();
    expect((await map.list('rentix')).length).toBe(3);
    expect((await map.list('rentix', 'listing')).map((e) => e.externalId).sort()).toEqual(['L-1', 'L-2']);
    expect(await map.delete('rentix', 'listing', 'L-2')).toBe(true);
    expect(await map.delete('rentix', 'listing', 'L-2')).toBe(false);
    expect(await map.get('rentix', 'listing', 'L-2')).toBeUndefined();
  });

  it('finds the external id of a portal id, and forgets the old one on re-mapping', async () => {
    const map = await make();
    await map.set('rentix', 'listing', 'L-1', '101');
    expect(await map.findExternalId('rentix', 'listing', '101')).toBe('L-1');
    await map.set('rentix', 'listing', 'L-1', '202');
    expect(await map.findExternalId('rentix', 'listing', '101')).toBeUndefined();
    expect(await map.findExternalId('rentix', 'listing', '202')).toBe('L-1');
    await map.delete('rentix', 'listing', 'L-1');
    expect(await map.findExternalId('rentix', 'listing', '202')).toBeUndefined();
  });
});
