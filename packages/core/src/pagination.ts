import { InputValidationError } from './errors.js';
import type { CallOptions } from './resource.js';

/**
 * One page of a list, as every portal client's `list()` returns it. A portal package may
 * add what its API says beside the items (PF adds its warning and the HTTP exchange).
 */
export interface Page<T> {
  /** Items of this page. */
  items: T[];
  /** Items matching the query across all pages, when the API says. */
  count: number | undefined;
  /** Number of this page, from 1. */
  page: number;
  /** Page size in effect. */
  perPage: number;
}

/** Options of an `iterate()` call; `timeoutMs`, `deadlineMs` and `retry` apply to each page's request. */
export interface IterateOptions extends CallOptions {
  /** Stops the iteration: the pending request is cancelled and the loop throws the abort reason. */
  signal?: AbortSignal | undefined;
}

/** Options of a `collect()` call. */
export interface CollectOptions extends IterateOptions {
  /** Most items to gather; the iteration stops (and its prefetch is cancelled) once reached. */
  limit?: number | undefined;
}

/** Where {@link iteratePages} starts and what page size it assumes when a page does not say. */
export interface PageWalk {
  /** Stops the walk: the pending request is cancelled and the loop throws the abort reason. */
  signal?: AbortSignal | undefined;
  /** First page to fetch (default 1). */
  start?: number | undefined;
  /** Page size asked for. */
  perPage: number;
}

/**
 * Walks pages from `start`, yielding items one at a time: the mechanism under every
 * client's `iterate()`. A page shorter than the page size, an empty page, or the API's
 * `count` reached ends the walk. At most two pages are held: the one being consumed and
 * the next, fetched meanwhile so the loop never waits twice. Breaking out of the loop
 * cancels the prefetch.
 */
export async function* iteratePages<T>(
  fetchPage: (page: number, signal: AbortSignal) => Promise<Page<T>>,
  walk: PageWalk,
): AsyncGenerator<T, void, undefined> {
  const signal = walk.signal;
  signal?.throwIfAborted();
  const controller = new AbortController();
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  let page = walk.start ?? 1;
  let pending: Promise<Page<T>> | undefined = fetchPage(page, combined);
  try {
    while (pending) {
      const current: Page<T> = await pending;
      pending = undefined;
      const size = current.perPage || walk.perPage;
      const last =
        current.items.length === 0 ||
        current.items.length < size ||
        (current.count !== undefined && page * size >= current.count);
      if (!last) {
        page++;
        pending = fetchPage(page, combined);
        // Observed here so an abandoned prefetch never surfaces as an unhandled rejection.
        pending.catch(() => undefined);
      }
      for (const item of current.items) {
        signal?.throwIfAborted();
        yield item;
      }
    }
  } finally {
    controller.abort();
  }
}

/**
 * Gathers the items of an iteration into an array, stopping at `limit`: the mechanism
 * under every client's `collect()`. Stopping early ends the iteration, so no page past
 * the limit is requested.
 */
export async function collect<T>(items: AsyncIterable<T>, options: CollectOptions = {}): Promise<T[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 0)) {
    throw new InputValidationError([
      { path: 'limit', message: `must be a number of items, not ${String(options.limit)}`, code: 'invalid_option' },
    ]);
  }
  const out: T[] = [];
  if (limit === 0) return out;
  for await (const item of items) {
    options.signal?.throwIfAborted();
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
