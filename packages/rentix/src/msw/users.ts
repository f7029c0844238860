import { normalizePhone } from '../phone.js';
import { MockHttpError } from './responses.js';

/** Contact channels a new agent has switched on, as Rentix creates agents. */
const DEFAULT_SETTINGS = {
  posting_type: 'agent',
  contact_phone: true,
  contact_whatsapp: true,
  contact_viber: true,
  contact_telegram: true,
};

/** The variants the mock serves for a photo. */
function variants(id: string) {
  return (['128', '512', '1024'] as const).map((variantSize) => ({
    url: `https://cdn.rentix.md/media/${id}/${variantSize}.webp`,
    variantSize,
  }));
}

/**
 * The fields of a `PUT /users` body as the portal stores them: the phone in
 * international format (`+373…`), the avatar as a stored photo with its variants
 * (`{ url }` makes a new one, `{ id }` names an uploaded file, `null` removes it), and
 * — for a new agent — every contact channel enabled.
 */
export function storedUserFields(
  fields: Record<string, unknown>,
  options: {
    created: boolean;
    current?: Record<string, unknown> | undefined;
    mediaExists: (id: string) => boolean;
    newId: () => string;
  },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (typeof fields.phone === 'string') {
    const digits = normalizePhone(fields.phone);
    out.phone = digits === undefined ? fields.phone : `+${digits}`;
  }
  const avatar = fields.avatar as { url?: string; id?: string } | null | undefined;
  if (avatar === null) out.avatar = null;
  else if (avatar !== undefined) {
    let id = avatar.id;
    if (id !== undefined && !options.mediaExists(id)) throw new MockHttpError(404, 'Media not found');
    id ??= options.newId();
    out.avatar = { id, contentType: 'image/jpeg', variants: variants(id) };
  }
  const settings = fields.settings as Record<string, unknown> | undefined;
  const base = options.created ? DEFAULT_SETTINGS : ((options.current?.settings as Record<string, unknown>) ?? {});
  if (options.created || settings !== undefined) out.settings = { ...base, ...(settings ?? {}) };
  return out;
}
