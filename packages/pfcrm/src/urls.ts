/** The portal's URLs, kept where the mock handlers read them; they live in `portal.ts`. */
export { DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, DEFAULT_UPLOAD_URL } from './portal.js';
