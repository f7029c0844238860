/** Field-level problem in a mock error body. */
export interface MockFieldError {
  /** Dotted field path, e.g. `filters.to_bedroom` or `operations.2.path`. */
  field: string;
  /** What is wrong. */
  message: string;
}

/** The one error body every mock error uses: `{ code, message, errors? }`. */
export interface MockErrorBody {
  /** HTTP status. */
  code: number;
  /** Explanation. */
  message: string;
  /** Field problems of a validation error. */
  errors?: MockFieldError[] | undefined;
}

/** An error the mock answers with; the handlers turn it into a response with {@link MockErrorBody}. */
export class MockHttpError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Body sent. */
  readonly body: MockErrorBody;
  constructor(status: number, message: string, errors?: MockFieldError[]) {
    super(message);
    this.status = status;
    this.body = errors ? { code: status, message, errors } : { code: status, message };
  }
}
