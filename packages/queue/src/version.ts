declare const __PACKAGE_VERSION__: string | undefined;

/** Version of @sync/queue, reported by `sync-queue --version`. */
export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';
