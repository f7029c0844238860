import { packageBuild } from '../tsup.shared.ts';

export default packageBuild(new URL('./package.json', import.meta.url), {
  // The fleet stores, each loading its optional peer driver: `@sync/core/postgres`, `@sync/core/redis`.
  entry: { postgres: 'src/postgres-identifier-map.ts', redis: 'src/redis-identifier-map.ts' },
});
