/** Root of the production API. */
export const DEFAULT_BASE_URL = 'https://api-v2.mycrm.com';
/** Host of the production upload endpoint. */
export const DEFAULT_UPLOAD_URL = 'https://api-upload.mycrm.com';
/** The production OAuth2 token endpoint of Property Finder. */
export const DEFAULT_TOKEN_URL = 'https://auth.propertyfinder.com/auth/oauth/v1/token';
