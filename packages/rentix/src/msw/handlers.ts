import { http, type RequestHandler } from 'msw';
import { RentixMockPortal } from './portal.js';

/** Where the real API lives; the handlers answer below it unless told otherwise. */
const DEFAULT_BASE_URL = 'https://crm.rentix.md/api/v1';

/** Options of {@link createRentixHandlers}. */
export interface RentixHandlersOptions {
  /** The portal behind the handlers (default: a new {@link RentixMockPortal}). */
  portal?: RentixMockPortal | undefined;
  /** API root the handlers answer below (default `https://crm.rentix.md/api/v1`). */
  baseUrl?: string | undefined;
}

/**
 * MSW handlers that answer every request below `baseUrl` from a {@link RentixMockPortal}.
 * Add them to your own `setupServer(...)`, or serve them over real HTTP with
 * `serveHandlers((url) => createRentixHandlers({ portal, baseUrl: url }))`.
 *
 * @example
 * const portal = new RentixMockPortal();
 * const server = setupServer(...createRentixHandlers({ portal }));
 * server.listen({ onUnhandledFrame: 'error' });
 * const rentix = new RentixClient({ apiKey: DEFAULT_MOCK_API_KEY });
 */
export function createRentixHandlers(options: RentixHandlersOptions = {}): RequestHandler[] {
  const portal = options.portal ?? new RentixMockPortal();
  const base = new URL((options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''));
  const basePath = base.pathname.replace(/\/+$/, '');
  const root = `${base.origin}${basePath}`;
  const answer = ({ request }: { request: Request }) => {
    const pathname = new URL(request.url).pathname;
    return portal.handle(request, pathname.slice(basePath.length) || '/');
  };
  return [http.all(`${root}/*`, answer), http.all(root, answer)];
}
