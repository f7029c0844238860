import { ErrorCode } from '../error-codes.js';
import { xsDateTimeToMs } from '../schemas/property.js';
import { textOf } from '../xml/parse.js';

/** Children of `<property>` in the XSD's order. */
const PROPERTY_CHILDREN = [
  'unique-id',
  'published-on',
  'date-updated',
  'date-deletion',
  'agent|user',
  'location',
  'pictures',
  'videos',
  'visits',
  'estates',
  'fotoplan',
  'date-expiration',
  'reference-code',
  'publish',
  'transactions',
  'building',
  'features',
  'extra-features',
  'extended',
  'auction-features',
  'documents',
  'blueprints',
  'raw-360s',
  'registrar-data',
  'work-start-date',
  'work-end-date',
  'project-name',
  'proposer',
  'sales-officer-address',
  'housing-units',
  'commercial-units',
  'project-status',
  'contact-infos',
];
const REQUIRED = ['unique-id', 'date-updated', 'agent|user', 'location', 'transactions', 'building', 'features'];
/** Values of `property/@operation`. */
export const OPERATIONS = new Set(['write', 'force', 'delete', 'archive', 'partial', 'secret']);
const XS_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** A parsed XML document in document order. */
export type Ordered = Record<string, unknown>[];

/** A refusal of a document, with the portal's error code. */
export class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The element name of a parsed node. */
export function nameOf(node: Record<string, unknown>): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#cdata');
}

/** The child nodes of an element. */
export function childrenOf(node: Record<string, unknown> | undefined): Ordered {
  if (!node) return [];
  const name = nameOf(node);
  const value = name ? node[name] : undefined;
  return Array.isArray(value) ? (value as Ordered) : [];
}

/** The first child element named `name`. */
export function child(node: Record<string, unknown> | undefined, name: string): Record<string, unknown> | undefined {
  return childrenOf(node).find((c) => nameOf(c) === name);
}

/** Every child element named `name`. */
export function children(node: Record<string, unknown> | undefined, name: string): Ordered {
  return childrenOf(node).filter((c) => nameOf(c) === name);
}

/** An attribute, entity-decoded. */
export function attr(node: Record<string, unknown> | undefined, name: string): string | undefined {
  const attrs = node?.[':@'] as Record<string, unknown> | undefined;
  const value = attrs?.[`@${name}`];
  return value === undefined ? undefined : textOf(String(value));
}

/** The text of an element (CDATA kept raw), trimmed. */
export function text(node: Record<string, unknown> | undefined): string {
  return childrenOf(node)
    .map((c) => {
      if (c['#text'] !== undefined) return textOf(String(c['#text']));
      // CDATA: raw text, never entity-decoded.
      const cdata = c['#cdata'];
      if (Array.isArray(cdata))
        return cdata.map((part) => String((part as Record<string, unknown>)['#text'] ?? '')).join('');
      return '';
    })
    .join('')
    .trim();
}

/** Checks a `<property>` against the XSD's structure: children, their order, dates, transactions. */
export function checkStructure(root: Record<string, unknown>): void {
  let last = -1;
  const present = new Set<string>();
  for (const c of childrenOf(root)) {
    const name = nameOf(c);
    if (name === undefined) {
      if (typeof c['#text'] === 'string' && c['#text'].trim() !== '') {
        throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'text directly inside <property>');
      }
      continue;
    }
    const slot = PROPERTY_CHILDREN.findIndex((n) => n.split('|').includes(name));
    if (slot < 0) throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `unexpected element <${name}>`);
    if (slot <= last) throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `element <${name}> is out of order or repeated`);
    last = slot;
    present.add(PROPERTY_CHILDREN[slot] ?? name);
  }
  for (const required of REQUIRED) {
    if (!present.has(required)) {
      throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `missing element <${required.replace('|', '> or <')}>`);
    }
  }
  const date = text(child(root, 'date-updated'));
  if (!XS_DATE_TIME.test(date) || Number.isNaN(xsDateTimeToMs(date))) {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `date-updated "${date}" is not an xs:dateTime`);
  }
  const transactions = children(child(root, 'transactions'), 'transaction');
  if (transactions.length < 1 || transactions.length > 3) {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'transactions must hold 1 to 3 transaction elements');
  }
  for (const t of transactions) {
    const type = attr(t, 'type');
    if (type !== 'S' && type !== 'R') throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `transaction type "${type}"`);
    if (!/^-?\d+$/.test(text(child(t, 'price')))) {
      throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'transaction/price must be an integer');
    }
  }
  if (!child(child(root, 'location'), 'city')) throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'missing location/city');
  if (!child(child(root, 'features'), 'energy-class')) {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'missing features/energy-class');
  }
}

/** Attaches the ids a refusal's answer names. */
export function withExtra(refusal: Refusal, extra: object): Refusal {
  Object.assign(refusal, { extra });
  return refusal;
}
