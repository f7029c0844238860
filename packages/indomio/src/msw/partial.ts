import { ErrorCode } from '../error-codes.js';
import { attr, child, children, childrenOf, nameOf, Refusal, text, withExtra } from './document.js';

/** The media of a listing as the mock stores them: URLs in display order. */
export interface MockMedia {
  pictures: string[];
  documents: string[];
  blueprints: string[];
  /** The virtual tour's URL, when the listing has one. */
  virtualTour: string | undefined;
}

/** The kinds of media a `<partial>` can replace, by element name. */
const KINDS = { pictures: 'picture', documents: 'document', blueprints: 'blueprint', 'virtual-tours': '' } as const;

const urls = (parent: Record<string, unknown> | undefined, name: string): string[] =>
  children(parent, name)
    .map((n) => ({ url: attr(n, 'url') ?? '', position: Number(attr(n, 'position') ?? 1) }))
    .sort((a, b) => a.position - b.position)
    .map((m) => m.url);

/** The media of a `<property>` document. */
export function mediaOf(property: Record<string, unknown>): MockMedia {
  return {
    pictures: urls(child(property, 'pictures'), 'picture'),
    documents: urls(child(property, 'documents'), 'document'),
    blueprints: urls(child(property, 'blueprints'), 'blueprint'),
    virtualTour: text(child(child(property, 'extra-features'), 'virtual-tour')) || undefined,
  };
}

/** What a `<partial>` document asks for: the listing it names, and the one kind of media to replace. */
export interface MockPartial {
  listingId: string | undefined;
  listingExternalId: string | undefined;
  agencyUsername: string | undefined;
  agencyId: string | undefined;
  /** Applies the media to a listing's stored media. */
  apply(media: MockMedia): void;
}

/** Reads a `<partial>` root as the XSD and the portal check it; refusals are thrown. */
export function readPartial(root: Record<string, unknown>): MockPartial {
  const ids = child(root, 'identifiers');
  if (!ids) throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'missing element <identifiers>');
  const value = (name: string) => (child(ids, name) ? text(child(ids, name)) : undefined);
  const listingId = value('listing-id');
  if (listingId !== undefined && !/^\d+$/.test(listingId)) {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `identifiers/listing-id "${listingId}" is not an xs:long`);
  }
  const media = childrenOf(root).filter((c) => {
    const name = nameOf(c);
    return name !== undefined && Object.hasOwn(KINDS, name);
  });
  for (const c of childrenOf(root)) {
    const name = nameOf(c);
    if (
      name !== undefined &&
      !['identifiers', 'resource-type', 'certified'].includes(name) &&
      !Object.hasOwn(KINDS, name)
    ) {
      throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `unexpected element <${name}> in <partial>`);
    }
  }
  if (media.length > 1) throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, '<partial> carries one kind of media only');
  const node = media[0];
  if (!node) {
    throw new Refusal(ErrorCode.MISSING_FIELD, '<partial> needs pictures, documents, blueprints or virtual-tours');
  }
  const kind = nameOf(node) as keyof typeof KINDS;
  if ((kind === 'pictures' || kind === 'documents') && children(node, KINDS[kind]).length === 0) {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `<${kind}> must hold at least one <${KINDS[kind]}>`);
  }
  const listingExternalId = value('listing-external-id');
  if (listingId === undefined && !listingExternalId) {
    throw new Refusal(ErrorCode.MISSING_FIELD, 'identifiers must name the listing (listing-id or listing-external-id)');
  }
  return {
    listingId,
    listingExternalId,
    agencyUsername: value('agency-username')?.toLowerCase(),
    agencyId: value('agency-id'),
    apply(stored) {
      if (kind === 'virtual-tours') stored.virtualTour = text(child(node, 'url-virtual-tour')) || undefined;
      else stored[kind] = urls(node, KINDS[kind]);
    },
  };
}

/** What a partial update needs of a stored listing. */
export interface PartialTarget {
  idListing: number;
  uniqueId: string;
  agencyEmail: string;
  locked: boolean;
  media: MockMedia;
}

/**
 * Applies a `<partial>` document to the listing it names among `listings`, as the portal does:
 * `NOT_FOUND` for no such listing (of the agency, when named), `ID_MISMATCH` when the URL names
 * another, `LOCKED` for a protected one. Returns the ids the answer names.
 */
export function applyPartial(
  listings: Iterable<PartialTarget>,
  agencyId: (email: string) => string | undefined,
  pathId: string,
  root: Record<string, unknown>,
): { idListing: number; entityId: string; realEstate: string; entityOwnerId: string | undefined } {
  const partial = readPartial(root);
  let found: PartialTarget | undefined;
  for (const l of listings) {
    const named =
      partial.listingId !== undefined
        ? String(l.idListing) === partial.listingId
        : l.uniqueId === partial.listingExternalId;
    const ofAgency =
      (partial.agencyUsername === undefined || partial.agencyUsername === l.agencyEmail) &&
      (partial.agencyId === undefined || partial.agencyId === agencyId(l.agencyEmail));
    if (named && ofAgency) found = l;
  }
  if (!found) throw new Refusal(ErrorCode.NOT_FOUND, 'listing not found');
  const ids = {
    idListing: found.idListing,
    entityId: found.uniqueId,
    realEstate: found.agencyEmail,
    entityOwnerId: agencyId(found.agencyEmail),
  };
  if (pathId !== found.uniqueId && pathId !== String(found.idListing)) {
    throw withExtra(new Refusal(ErrorCode.ID_MISMATCH, `id ${pathId} does not match the listing`), ids);
  }
  if (found.locked) throw withExtra(new Refusal(ErrorCode.LOCKED, 'listing is locked'), { ...ids, lock: true });
  partial.apply(found.media);
  return ids;
}
