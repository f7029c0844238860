import type { RawPage, ResponseMeta } from './transport.js';

/** One page of a list. */
export interface Page<T> {
  /** Items of this page. */
  items: T[];
  /** Items matching the query across all pages, when the API says. */
  count: number | undefined;
  /** Number of this page, from 1. */
  page: number;
  /** Page size in effect. */
  perPage: number;
  /** The `X-MyCRM-API-Warning` header of this page's response, if any. */
  warning: string | undefined;
  /** The HTTP exchange behind the page. */
  lastResponse: ResponseMeta;
}

/** A page from its unwrapped response: counters the API left out fall back to what was asked. */
export function toPage<T>(
  raw: RawPage,
  items: T[],
  asked: { page: number; perPage: number | undefined },
  meta: ResponseMeta,
): Page<T> {
  return {
    items,
    count: raw.count,
    page: raw.page ?? asked.page,
    perPage: raw.perPage ?? asked.perPage ?? items.length,
    warning: meta.warning,
    lastResponse: meta,
  };
}

/** Options of an `iterate` call. */
export interface IterateOptions {
  /** Stops the iteration: the pending request is cancelled and the loop throws the abort reason. */
  signal?: AbortSignal | undefined;
}

/**
 * Walks pages from `start`, yielding items one at a time. At most two pages are held:
 * the one being consumed and the next, fetched meanwhile so the loop never waits twice.
 * Breaking out of the loop cancels the prefetch.
 */
export async function* paginate<T>(
  fetchPage: (page: number, signal: AbortSignal) => Promise<Page<T>>,
  start: number,
  perPage: number,
  signal?: AbortSignal,
): AsyncGenerator<T, void, undefined> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  let page = start;
  let pending: Promise<Page<T>> | undefined = fetchPage(page, combined);
  try {
    while (pending) {
      const current: Page<T> = await pending;
      pending = undefined;
      const size = current.perPage || perPage;
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
