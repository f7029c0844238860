import { ErrorCode } from '../error-codes.js';
import { attr, child, children, Refusal, text } from './document.js';

/** A typology of the mock's table and the contracts it allows. */
export interface MockTypology {
  /** `building/@IDType`. */
  id: number;
  name: string;
  /** Contracts allowed: `S` sale, `R` rent. */
  contracts: readonly ('S' | 'R')[];
  /** The only size type (`features/sizes/size/type`) its surfaces may have, e.g. `Garage` for a garage. */
  sizeType?: string | undefined;
}

/** The currencies the portal accepts in `transaction/price/@currency`: "only the Euro currency (EUR)". */
export const CURRENCIES: ReadonlySet<string> = new Set(['EUR']);

/**
 * The guide's rules that the XSD cannot express, on a document the XSD accepted, for its
 * typology: the contracts the typology allows and no room for sale (`UNRESOLVED_TYPOLOGY`),
 * the typology's only size type and EUR prices (`BAD_REQUEST`), a city code or coordinates
 * (`MISSING_GEO`).
 */
export function checkGuideRules(root: Record<string, unknown>, typology: MockTypology): void {
  const transactions = children(child(root, 'transactions'), 'transaction');
  const extra = child(root, 'extra-features');
  const isRoom = child(extra, 'rent-room') !== undefined || child(extra, 'accommodation-type') !== undefined;
  for (const t of transactions) {
    const contract = attr(t, 'type') as 'S' | 'R';
    if (!typology.contracts.includes(contract)) {
      throw new Refusal(
        ErrorCode.UNRESOLVED_TYPOLOGY,
        `typology ${typology.id} (${typology.name}) does not allow contract ${contract}`,
      );
    }
    if (isRoom && contract === 'S') {
      throw new Refusal(ErrorCode.UNRESOLVED_TYPOLOGY, 'a room (extra-features/rent-room) cannot be for sale');
    }
    const currency = attr(child(t, 'price'), 'currency');
    if (currency !== undefined && !CURRENCIES.has(currency)) {
      throw new Refusal(
        ErrorCode.BAD_REQUEST,
        `transaction ${contract}: currency "${currency}" is not accepted (only ${[...CURRENCIES].join(', ')})`,
      );
    }
  }
  if (typology.sizeType !== undefined) {
    const sizes = children(child(child(root, 'features'), 'sizes'), 'size');
    sizes.forEach((size, i) => {
      const type = text(child(size, 'type'));
      if (type !== typology.sizeType) {
        throw new Refusal(
          ErrorCode.BAD_REQUEST,
          `features/sizes/size[${i + 1}]: typology ${typology.id} (${typology.name}) allows only the size type "${typology.sizeType}", not "${type}"`,
        );
      }
    });
  }
  const location = child(root, 'location');
  const locality = child(location, 'locality');
  const hasCode = (attr(child(location, 'city'), 'code') ?? '').trim() !== '';
  const hasCoordinates = text(child(locality, 'latitude')) !== '' && text(child(locality, 'longitude')) !== '';
  if (!hasCode && !hasCoordinates) {
    throw new Refusal(
      ErrorCode.MISSING_GEO,
      'location: a city/@code (ISTAT) or locality latitude and longitude required',
    );
  }
}
