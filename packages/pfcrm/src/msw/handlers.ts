import { parseJsonSafely } from '@sync/core';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, DEFAULT_UPLOAD_URL } from '../urls.js';
import { MockHttpError } from './errors.js';
import { type PhpValue, parsePhpQuery } from './php-query.js';
import { PfCrmMockPortal } from './portal.js';
import type { MockRecord } from './properties.js';

/** Options of {@link createPfCrmHandlers}. */
export interface PfCrmHandlersOptions {
  /** The in-memory account the handlers serve (default: a fresh {@link PfCrmMockPortal}). */
  portal?: PfCrmMockPortal | undefined;
  /**
   * Root the API is served under (default the production `https://api-v2.mycrm.com`).
   * When set, the token endpoint is `${baseUrl}/auth/oauth/v1/token` and uploads go to
   * `${baseUrl}/upload`; otherwise both keep their production hosts.
   */
  baseUrl?: string | undefined;
  /** Overrides the token endpoint URL. */
  tokenUrl?: string | undefined;
  /** Overrides the root of `POST /upload`. */
  uploadBaseUrl?: string | undefined;
}

const WARNING_HEADER = 'X-MyCRM-API-Warning';
const EXPAND_HEADER = 'x-mycrm-expand-data';

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return undefined;
  try {
    return parseJsonSafely(text);
  } catch {
    throw new MockHttpError(400, 'the body is not valid JSON');
  }
}

function errorResponse(error: unknown, headers: Record<string, string> = {}): Response {
  if (error instanceof MockHttpError) return HttpResponse.json(error.body, { status: error.status, headers });
  const message = error instanceof Error ? error.message : String(error);
  return HttpResponse.json({ code: 500, message }, { status: 500, headers });
}

/**
 * MSW handlers that behave like the Property Finder CRM API v2 over an in-memory
 * {@link PfCrmMockPortal}: the OAuth2 token endpoint, rights per endpoint (403), queries
 * decoded as PHP does (`max_input_vars` included), properties with every documented
 * filter and sort, pagination, expansion, refusals and validation in one shape
 * (`{ code, message, errors: [{ field, message }] }`, 400 or 422), bulk actions, bulk
 * delete (an empty list deletes everything, as documented), e-mail, uploads, landlords
 * and leads with their filters, users, locations, client settings; `X-RateLimit-*`
 * headers and 429s; the portal's fault switches.
 * Add them to your own `setupServer(...)`, or serve them with `serveHandlers`.
 */
export function createPfCrmHandlers(options: PfCrmHandlersOptions = {}): RequestHandler[] {
  const portal = options.portal ?? new PfCrmMockPortal();
  const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const tokenUrl = options.tokenUrl ?? (options.baseUrl ? `${base}/auth/oauth/v1/token` : DEFAULT_TOKEN_URL);
  const uploadBase = (options.uploadBaseUrl ?? (options.baseUrl ? base : DEFAULT_UPLOAD_URL)).replace(/\/+$/, '');

  /** Wraps an API endpoint: faults, latency, rate limit, auth and rights, warning header, errors. */
  const api =
    (
      rights: readonly string[] | ((request: Request, body: unknown) => readonly string[]),
      handle: (ctx: {
        request: Request;
        url: URL;
        body: unknown;
        params: Record<string, string>;
      }) => Promise<Response> | Response,
      readBody = true,
    ) =>
    async ({
      request,
      params,
    }: {
      request: Request;
      params: Record<string, string | readonly string[] | undefined>;
    }) => {
      const url = new URL(request.url);
      portal.requests.push({
        method: request.method,
        path: url.pathname,
        search: url.search,
        expand: request.headers.get(EXPAND_HEADER),
      });
      if (portal.latencyMs > 0) await delay(portal.latencyMs);
      const fault = portal.takeFault();
      if (fault && 'drop' in fault) return HttpResponse.error();
      const limit = portal.rateLimit();
      const headers: Record<string, string> = { ...limit.headers };
      if (portal.warning !== undefined) headers[WARNING_HEADER] = portal.warning;
      // An injected failure carries no rate-limit headers: a client would read X-RateLimit-Reset as a wait.
      if (fault) {
        const faultHeaders: Record<string, string> =
          portal.warning !== undefined ? { [WARNING_HEADER]: portal.warning } : {};
        return HttpResponse.json(fault.body as Record<string, unknown>, {
          status: fault.status,
          headers: faultHeaders,
        });
      }
      if (limit.limited)
        return HttpResponse.json({ code: 429, message: 'rate limit exceeded' }, { status: 429, headers });
      try {
        const body = readBody ? await readJson(request) : undefined;
        portal.authorize(
          request.headers.get('authorization'),
          typeof rights === 'function' ? rights(request, body) : rights,
        );
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(params)) if (typeof v === 'string') flat[k] = v;
        const response = await handle({ request, url, body, params: flat });
        for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
        return response;
      } catch (error) {
        return errorResponse(error, headers);
      }
    };

  const idOf = (params: Record<string, string>): number => {
    const id = Number(params.id);
    if (!Number.isInteger(id) || id < 1) throw new MockHttpError(404, `no resource "${params.id}"`);
    return id;
  };

  const page = (url: URL) => {
    // Decoded as PHP does, max_input_vars included: variables past the limit are dropped silently.
    const query = parsePhpQuery(url.search, { maxInputVars: portal.maxInputVars });
    const pageNo = Math.max(1, Number(query.page) || 1);
    const perPage = Math.min(100, Math.max(1, Number(query.per_page) || 50));
    return { query, pageNo, perPage };
  };

  const listResponse = <T>(
    key: string,
    items: readonly T[],
    pageNo: number,
    perPage: number,
    map: (item: T) => unknown,
  ) =>
    HttpResponse.json({
      [key]: items.slice((pageNo - 1) * perPage, pageNo * perPage).map(map),
      count: items.length,
      page: pageNo,
      per_page: perPage,
    });

  const readList = (key: string, right: string, records: (filters: PhpValue | undefined) => readonly MockRecord[]) =>
    api([right], ({ url }) => {
      const { query, pageNo, perPage } = page(url);
      return listResponse(key, records(query.filters), pageNo, perPage, (x) => x);
    });

  /** A query parameter that must be a single value, when given. */
  const single = (query: Record<string, PhpValue>, name: string): string | undefined => {
    const value = query[name];
    if (value === undefined || typeof value === 'string') return value;
    throw new MockHttpError(400, `invalid ${name}`, [{ field: name, message: 'expected a single value' }]);
  };

  const readOne = (key: string, records: () => ReadonlyArray<Record<string, unknown>>, right: string) =>
    api([right], ({ params }) => {
      const id = idOf(params);
      const record = records().find((r) => r.id === id);
      if (!record) throw new MockHttpError(404, `${key} ${id} not found`);
      return HttpResponse.json({ [key]: record });
    });

  return [
    http.post(tokenUrl, async ({ request }) => {
      if (portal.latencyMs > 0) await delay(portal.latencyMs);
      try {
        const body = await readJson(request);
        return HttpResponse.json(portal.issueToken(request.headers.get('authorization'), body));
      } catch (error) {
        return errorResponse(error);
      }
    }),

    http.options(
      `${base}/properties`,
      api([], () => HttpResponse.json(portal.configuration())),
    ),
    http.get(
      `${base}/properties`,
      api(['property.read'], ({ request, url }) => {
        const { query, pageNo, perPage } = page(url);
        const found = portal.query(query.filters, single(query, 'sort'), single(query, 'sort_order'));
        const expand = request.headers.get(EXPAND_HEADER);
        const response = listResponse('property', found, pageNo, perPage, (p) => portal.present(p, expand));
        if (typeof query.filters === 'object' && !Array.isArray(query.filters) && 'amenities' in query.filters) {
          response.headers.set(WARNING_HEADER, 'filters[amenities] is deprecated, use filters[amenities_or]');
        }
        return response;
      }),
    ),
    http.post(
      `${base}/properties/email`,
      api(['property.read'], ({ body }) => {
        portal.email(body);
        return new HttpResponse(null, { status: 201 });
      }),
    ),
    http.post(
      `${base}/properties`,
      api(['property.update'], ({ body }) => HttpResponse.json({ property: portal.create(body) }, { status: 201 })),
    ),
    http.put(
      `${base}/properties`,
      api(['property.update'], ({ body }) => HttpResponse.json({ property: portal.update(body) })),
    ),
    http.patch(
      `${base}/properties`,
      api(
        (_request, body) => portal.rightsForOperations(body),
        ({ body }) => {
          portal.patch(body);
          return new HttpResponse(null, { status: 204 });
        },
      ),
    ),
    http.delete(
      `${base}/properties`,
      api(['property.update'], ({ body }) => {
        portal.deleteMany(body);
        return new HttpResponse(null, { status: 204 });
      }),
    ),
    http.get(
      `${base}/properties/:id`,
      api(['property.read'], ({ request, params }) =>
        HttpResponse.json({ property: portal.present(portal.get(idOf(params)), request.headers.get(EXPAND_HEADER)) }),
      ),
    ),
    http.patch(
      `${base}/properties/:id`,
      api(
        (_request, body) => portal.rightsForOperations(body),
        ({ body, params }) => {
          const id = idOf(params);
          portal.get(id);
          portal.patch(body, id);
          return new HttpResponse(null, { status: 204 });
        },
      ),
    ),
    http.delete(
      `${base}/properties/:id`,
      api(['property.update'], ({ params }) => {
        portal.deleteOne(idOf(params));
        return new HttpResponse(null, { status: 204 });
      }),
    ),
    http.post(
      `${uploadBase}/upload`,
      api(
        ['property.update'],
        async ({ request, url }) => {
          let form: FormData;
          try {
            form = await request.formData();
          } catch {
            throw new MockHttpError(400, 'expected a multipart/form-data body');
          }
          const upload = portal.upload(url.searchParams.get('type'), form.get('file'));
          return HttpResponse.json(
            {
              upload: {
                token: upload.token,
                type: upload.type,
                link: `${uploadBase}/files/${upload.token}`,
                thumbnails: [
                  { format: 'full', link: `${uploadBase}/files/${upload.token}/full`, width: null, height: null },
                  { format: 'thumb', link: `${uploadBase}/files/${upload.token}/thumb`, width: 80, height: 80 },
                  { format: 'medium', link: `${uploadBase}/files/${upload.token}/medium`, width: 540, height: 540 },
                ],
                created_at: new Date(upload.createdAt).toISOString(),
              },
            },
            { status: 201 },
          );
        },
        false,
      ),
    ),
    http.get(
      `${base}/landlords`,
      readList('landlord', 'landlord.read', (filters) => portal.queryLandlords(filters)),
    ),
    http.get(
      `${base}/landlords/:id`,
      readOne('landlord', () => portal.landlords, 'landlord.read'),
    ),
    http.get(
      `${base}/leads`,
      readList('lead', 'lead.read', (filters) => portal.queryLeads(filters)),
    ),
    http.get(
      `${base}/leads/:id`,
      readOne('lead', () => portal.leads, 'lead.read'),
    ),
    http.get(
      `${base}/users`,
      readList('users', 'user.read', () => portal.users),
    ),
    http.get(
      `${base}/clients/settings`,
      api([], () => HttpResponse.json({ settings: portal.settings })),
    ),
    http.get(
      `${base}/users/:id`,
      readOne('user', () => portal.users, 'user.read'),
    ),
    http.get(
      `${base}/locations`,
      api([], ({ url }) => {
        const filters = (parsePhpQuery(url.search, { maxInputVars: portal.maxInputVars }).filters ?? {}) as Record<
          string,
          unknown
        >;
        const text = typeof filters.string === 'string' ? filters.string.toLowerCase() : '';
        const found = portal.locations.filter((l) =>
          [l.city, l.community, l.sub_community, l.tower].some(
            (v) => typeof v === 'string' && v.toLowerCase().includes(text),
          ),
        );
        return HttpResponse.json({ location: found });
      }),
    ),
  ];
}
