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
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const respond =
    (method: 'PUT' | 'DELETE') =>
    async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
      const answer = await portal.serve(method, String(params.id), request);
      if (answer === 'drop') return HttpResponse.error();
      return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers });
    };
  const realtors =
    (method: 'PUT' | 'GET') =>
    async ({ request }: { request: Request }) => {
      const answer = await portal.serveRealtors(method, new URL(request.url).pathname.slice(basePath.length), request);
      if (answer === 'drop') return HttpResponse.error();
      return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers });
    };
  return [
    http.put(route, respond('PUT')),
    http.delete(route, respond('DELETE')),
    http.put(`${base}/ws/import/ies/company/realtor`, realtors('PUT')),
    http.get(`${base}/ws/export/group/:groupName/company`, realtors('GET')),
    http.get(`${base}/ws/export/company/:companyId`, realtors('GET')),
  ];
}
