import { parseJsonSafely } from '@sync/core';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, DEFAULT_UPLOAD_URL } from '../urls.js';
import { searchLocations } from './account.js';
import { MockHttpError } from './errors.js';
import { pageBody, propertyListWarning, readListQuery, singleValue } from './pages.js';
import type { PhpValue } from './php-query.js';
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

  /** Wraps an API endpoint: the portal's admission (log, latency, faults, rate limit), auth and rights, errors. */
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
      const admitted = await portal.admit(request);
      if ('response' in admitted) return admitted.response;
      const { headers } = admitted;
      const url = new URL(request.url);
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

  const page = (url: URL) => readListQuery(url.search, portal.maxInputVars);

  const readList = (key: string, right: string, records: (filters: PhpValue | undefined) => readonly MockRecord[]) =>
    api([right], ({ url }) => {
      const list = page(url);
      return HttpResponse.json(pageBody(key, records(list.query.filters), list, (x) => x));
    });

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
        const list = page(url);
        const { query } = list;
        const found = portal.query(query.filters, singleValue(query, 'sort'), singleValue(query, 'sort_order'));
        const expand = request.headers.get(EXPAND_HEADER);
        const response = HttpResponse.json(pageBody('property', found, list, (p) => portal.present(p, expand)));
        const warning = propertyListWarning(query.filters);
        if (warning !== undefined) response.headers.set(WARNING_HEADER, warning);
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
        const found = searchLocations(portal.locations, page(url).query.filters);
        return HttpResponse.json({ location: found });
      }),
    ),
  ];
}
