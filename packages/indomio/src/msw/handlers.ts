import { HttpResponse, http, type RequestHandler } from 'msw';
import { IndomioMockPortal } from './portal.js';

/** Options of {@link createIndomioHandlers}. */
export interface IndomioHandlersOptions {
  /** The portal behind the handlers (default: a new {@link IndomioMockPortal}). */
  portal?: IndomioMockPortal | undefined;
  /** Host the handlers answer for (default `https://feed.immobiliare.it`). */
  baseUrl?: string | undefined;
}

/**
 * MSW handlers answering like the portal's import endpoints, backed by an in-memory
 * {@link IndomioMockPortal}. Add them to your own MSW server, or serve them over HTTP.
 */
export function createIndomioHandlers(options: IndomioHandlersOptions = {}): RequestHandler[] {
  const portal = options.portal ?? new IndomioMockPortal();
  const base = (options.baseUrl ?? 'https://feed.immobiliare.it').replace(/\/+$/, '');
  const route = `${base}/ws/import/immobiliare/property/:id`;
  const respond =
    (method: 'PUT' | 'DELETE') =>
    async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
      const answer = await portal.serve(method, String(params.id), request);
      if (answer === 'drop') return HttpResponse.error();
      return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers });
    };
  return [http.put(route, respond('PUT')), http.delete(route, respond('DELETE'))];
}
