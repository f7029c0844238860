import { packageBuild } from '../tsup.shared.ts';

export default packageBuild(new URL('./package.json', import.meta.url), { msw: false, entry: { cli: 'src/cli.ts' } });
