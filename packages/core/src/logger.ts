import type { HttpEvents, TypedEmitter } from './events.js';

/**
 * Where a client writes what it does: `console` fits, as does any logger with these four
 * methods (pino, winston). Clients are silent without one.
 */
export interface Logger {
  /** Each attempt and response. */
  debug(message: string): void;
  /** Retries and rate-limit waits. */
  info(message: string): void;
  /** Something the caller should look at. */
  warn(message: string): void;
  /** A failure. */
  error(message: string): void;
}

let fromEnvironment: Logger | null | undefined;

/**
 * The logger a client uses when given none: `console` when the environment variable
 * `SYNC_DEBUG` is `1` (or `true`), read once per process, else none.
 */
export function environmentLogger(): Logger | undefined {
  if (fromEnvironment === undefined) {
    const value = typeof process === 'undefined' ? undefined : process.env.SYNC_DEBUG;
    fromEnvironment = value === '1' || value === 'true' ? console : null;
  }
  return fromEnvironment ?? undefined;
}

/**
 * Writes a client's HTTP events to `logger`: attempts and responses at `debug`, retries
 * and rate-limit waits at `info`. Events carry redacted URLs and no headers reach the
 * log, so no credential is ever written. Returns a function that stops logging.
 */
export function logHttpEvents(http: TypedEmitter<HttpEvents>, logger: Logger): () => void {
  const where = (e: { portal: string; operation: string; itemId?: string | undefined }) =>
    `${e.portal} ${e.operation}${e.itemId === undefined ? '' : ` [${e.itemId}]`}`;
  const off = [
    http.on('request', (e) => logger.debug(`${where(e)}: ${e.method} ${e.url} (attempt ${e.attempt})`)),
    http.on('response', (e) =>
      logger.debug(
        `${where(e)}: ${e.status} in ${Math.round(e.durationMs)} ms (attempt ${e.attempt}${
          e.requestId ? `, request id ${e.requestId}` : ''
        })`,
      ),
    ),
    http.on('retry', (e) =>
      logger.info(`${where(e)}: retrying after ${e.reason} in ${Math.round(e.delayMs)} ms (attempt ${e.attempt})`),
    ),
    http.on('rateLimited', (e) =>
      logger.info(
        e.source === 'client'
          ? `${where(e)}: waited ${Math.round(e.waitMs)} ms for rate-limit bucket "${e.bucket ?? 'default'}"`
          : `${where(e)}: the portal answered 429, asking to wait ${Math.round(e.waitMs)} ms`,
      ),
    ),
  ];
  return () => {
    for (const stop of off) stop();
  };
}
