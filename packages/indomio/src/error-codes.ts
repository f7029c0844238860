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

/** The portal's error codes by name. */
export const ErrorCode = {
  SUCCESS: 0,
  OFFLINE_RE: 330,
  BAD_REQUEST: 400,
  WRONG_STATUS: 401,
  LOCKED: 403,
  NOT_FOUND: 404,
  ID_MISMATCH: 409,
  AGENCY_PHONE_NUMBER_NOT_UPDATABLE: 422,
  MISSING_FIELD: 440,
  MISSING_REALTOR: 445,
  MISSING_RE: 450,
  UNRESOLVED_TYPOLOGY: 455,
  MISSING_GEO: 460,
  BAD_JAXB_REQUEST: 470,
  UNKNOWN_CMD: 480,
  GENERIC_ERROR: 500,
} as const;

/** Name of a portal error code. */
export type ErrorCodeName = keyof typeof ErrorCode;

/** What each code means and whether a retry can help; the type requires every name, once. */
const DESCRIPTIONS: Record<ErrorCodeName, { meaning: string; retryable: boolean }> = {
  SUCCESS: { meaning: 'operation completed', retryable: false },
  OFFLINE_RE: { meaning: 'the agency is offline', retryable: false },
  BAD_REQUEST: { meaning: 'feed not validated, incompatible or incorrect data', retryable: false },
  WRONG_STATUS: { meaning: 'listing rejected for a status issue, usually the agency’s', retryable: false },
  LOCKED: { meaning: 'protected listing: editable only from the portal panel', retryable: false },
  NOT_FOUND: { meaning: 'resource not found', retryable: false },
  ID_MISMATCH: { meaning: 'id format error', retryable: false },
  AGENCY_PHONE_NUMBER_NOT_UPDATABLE: {
    meaning: 'the agency phone number is tied to an external service',
    retryable: false,
  },
  MISSING_FIELD: { meaning: 'a required field is absent', retryable: false },
  MISSING_REALTOR: { meaning: 'agent not found', retryable: false },
  MISSING_RE: { meaning: 'agency not found', retryable: false },
  UNRESOLVED_TYPOLOGY: { meaning: 'property type unknown or not allowed', retryable: false },
  MISSING_GEO: { meaning: 'inconsistent geographic information', retryable: false },
  BAD_JAXB_REQUEST: { meaning: 'XSD validation failed', retryable: false },
  UNKNOWN_CMD: { meaning: 'unknown @operation attribute', retryable: false },
  GENERIC_ERROR: { meaning: 'generic error on the portal', retryable: true },
};

/** Every code the portal documents, with its meaning and whether a retry can help. */
export const ERROR_CODES: readonly ErrorCodeInfo[] = (Object.keys(ErrorCode) as ErrorCodeName[]).map((name) => ({
  code: ErrorCode[name],
  name,
  ...DESCRIPTIONS[name],
}));

const BY_CODE = new Map(ERROR_CODES.map((info) => [info.code, info]));

/** What a code means; codes the portal does not document get a generic entry. */
export function errorCodeInfo(code: number): ErrorCodeInfo {
  return BY_CODE.get(code) ?? { code, name: 'UNKNOWN', meaning: `undocumented error code ${code}`, retryable: false };
}
