/** One code of `ServiceResponse/ErrorCode`. */
export interface ErrorCodeInfo {
  /** The numeric code. */
  readonly code: number;
  /** The portal's name for it. */
  readonly name: string;
  /** What it means. */
  readonly meaning: string;
  /** Whether sending the same request again can succeed. */
  readonly retryable: boolean;
}

/** Every code the portal documents, by name: its number, what it means, whether a retry can help. */
const TABLE = {
  SUCCESS: { code: 0, meaning: 'operation completed', retryable: false },
  OFFLINE_RE: { code: 330, meaning: 'the agency is offline', retryable: false },
  BAD_REQUEST: { code: 400, meaning: 'feed not validated, incompatible or incorrect data', retryable: false },
  WRONG_STATUS: { code: 401, meaning: 'listing rejected for a status issue, usually the agency’s', retryable: false },
  LOCKED: { code: 403, meaning: 'protected listing: editable only from the portal panel', retryable: false },
  NOT_FOUND: { code: 404, meaning: 'resource not found', retryable: false },
  ID_MISMATCH: { code: 409, meaning: 'id format error', retryable: false },
  AGENCY_PHONE_NUMBER_NOT_UPDATABLE: {
    code: 422,
    meaning: 'the agency phone number is tied to an external service',
    retryable: false,
  },
  MISSING_FIELD: { code: 440, meaning: 'a required field is absent', retryable: false },
  MISSING_REALTOR: { code: 445, meaning: 'agent not found', retryable: false },
  MISSING_RE: { code: 450, meaning: 'agency not found', retryable: false },
  UNRESOLVED_TYPOLOGY: { code: 455, meaning: 'property type unknown or not allowed', retryable: false },
  MISSING_GEO: { code: 460, meaning: 'inconsistent geographic information', retryable: false },
  BAD_JAXB_REQUEST: { code: 470, meaning: 'XSD validation failed', retryable: false },
  UNKNOWN_CMD: { code: 480, meaning: 'unknown @operation attribute', retryable: false },
  GENERIC_ERROR: { code: 500, meaning: 'generic error on the portal', retryable: true },
} as const;

/** Name of a portal error code. */
export type ErrorCodeName = keyof typeof TABLE;

/** The portal's error codes by name. */
export const ErrorCode = Object.fromEntries(Object.entries(TABLE).map(([name, info]) => [name, info.code])) as {
  readonly [Name in ErrorCodeName]: (typeof TABLE)[Name]['code'];
};

/** Every code the portal documents, with its meaning and whether a retry can help. */
export const ERROR_CODES: readonly ErrorCodeInfo[] = Object.entries(TABLE).map(([name, info]) => ({ name, ...info }));

const BY_CODE = new Map(ERROR_CODES.map((info) => [info.code, info]));

/** What a code means; codes the portal does not document get a generic entry. */
export function errorCodeInfo(code: number): ErrorCodeInfo {
  return BY_CODE.get(code) ?? { code, name: 'UNKNOWN', meaning: `undocumented error code ${code}`, retryable: false };
}
