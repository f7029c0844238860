import { HttpResponse, http, type RequestHandler } from 'msw';
import { IndomioMockPortal } from './portal.js';

/** Options of {@link createIndomioHandlers}. */
export interface IndomioHandlersOptions {
  /** The portal behind the handlers (default: a new {@link IndomioMockPortal}). */
  portal?: IndomioMockPortal | undefined;
  /** Host the handlers answer for (default `https://feed.immobiliare.it`). */
  baseUrl?: string | undefined;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * MSW handlers answering like the portal's import endpoints, backed by an in-memory
 * {@link IndomioMockPortal}. Add them to your own MSW server, or serve them over HTTP.
 *
 * @example
 * const portal = new IndomioMockPortal();
 * const server = setupServer(...createIndomioHandlers({ portal }));
 * server.listen({ onUnhandledFrame: 'error' });
 */
export function createIndomioHandlers(options: IndomioHandlersOptions = {}): RequestHandler[] {
  const portal = options.portal ?? new IndomioMockPortal();
  const base = (options.baseUrl ?? 'https://feed.immobiliare.it').replace(/\/+$/, '');
  const route = `${base}/ws/import/immobiliare/property/:id`;
  const respond = async (
    method: string,
    pathId: string,
    run: () => Promise<{ status: number; body: string; headers: Record<string, string> }>,
  ) => {
    if (portal.latencyMs > 0) await wait(portal.latencyMs);
    const fault = portal.takeFault(method, pathId);
    if (fault === 'drop') return HttpResponse.error();
    const answer = fault ?? (await run());
    return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers });
  };
  return [
    http.put(route, ({ request, params }) =>
      respond('PUT', String(params.id), async () =>
        portal.put(String(params.id), request.headers, await request.text()),
      ),
    ),
    http.delete(route, ({ request, params }) =>
      respond('DELETE', String(params.id), async () => portal.delete(String(params.id), request.headers)),
    ),
  ];
}
