/** Reason phrases Rentix puts in the `error` field of its error bodies. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A failure the mock answers with Rentix's error body. */
export class MockHttpError extends Error {
  readonly status: number;
  readonly messages: string | string[];
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    messages: string | string[],
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(Array.isArray(messages) ? messages.join('; ') : messages);
    this.status = status;
    this.messages = messages;
    this.extra = extra;
    this.headers = headers;
  }
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** Rentix's error body: `{ statusCode, message, error }`. */
export function errorBody(status: number, message: string | string[], extra: Record<string, unknown> = {}) {
  return { statusCode: status, message, error: STATUS_TEXT[status] ?? 'Error', ...extra };
}
