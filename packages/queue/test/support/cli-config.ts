// A config module as a vendor writes one for `sync-queue`, reading the test world named by SYNC_QUEUE_TEST_WORLD.
import { readFileSync } from 'node:fs';
import { fleetConfig, type World } from './world.js';

export default () => {
  const world = JSON.parse(readFileSync(process.env.SYNC_QUEUE_TEST_WORLD as string, 'utf8')) as World;
  return { ...fleetConfig(world), agencies: async () => world.agencies.map((a) => a.id) };
};
