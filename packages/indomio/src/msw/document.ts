import { ErrorCode } from '../error-codes.js';
import { parseXmlSafely, textOf, XmlParseError } from '../xml/parse.js';
import type { SchemaValidator } from './validate.js';

/** Values of `property/@operation`. */
export const OPERATIONS = new Set(['write', 'force', 'delete', 'archive', 'partial', 'secret']);

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

/** Attaches the ids a refusal's answer names. */
export function withExtra(refusal: Refusal, extra: object): Refusal {
  Object.assign(refusal, { extra });
  return refusal;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const DECLARED_ENCODING = /^\uFEFF?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/;

/**
 * A body as the portal reads it: UTF-8 only, as its guide requires. Bytes that are not
 * UTF-8, or a declaration of another encoding, are refused with `BAD_REQUEST`; nothing is
 * ever stored with characters replaced.
 */
export function decodeBody(body: Uint8Array | string): { text: string; bytes: Uint8Array } {
  let text: string;
  let bytes: Uint8Array;
  if (typeof body === 'string') {
    text = body;
    bytes = new TextEncoder().encode(body);
  } else {
    bytes = body;
    try {
      text = UTF8.decode(body);
    } catch {
      const at = firstInvalidUtf8(body);
      throw new Refusal(ErrorCode.BAD_REQUEST, `the body is not valid UTF-8 (byte ${at}): send the document in UTF-8`);
    }
  }
  const declared = DECLARED_ENCODING.exec(text)?.[1];
  if (declared !== undefined && declared.toLowerCase() !== 'utf-8' && declared.toLowerCase() !== 'utf8') {
    throw new Refusal(ErrorCode.BAD_REQUEST, `the document declares encoding "${declared}": only UTF-8 is accepted`);
  }
  return { text, bytes };
}

/** The offset of the first byte that breaks UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : 4;
    if (lead >= 0xf5 || (lead >= 0x80 && lead < 0xc2) || i + length > bytes.length) return i;
    try {
      UTF8.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

/**
 * Reads a `PUT` body as the portal does: UTF-8 (else `BAD_REQUEST`), well-formed with no
 * DOCTYPE, one `<property>` root, a known `@operation` (else `UNKNOWN_CMD`), then valid
 * against the import schema (else `BAD_JAXB_REQUEST` with libxml2's messages).
 */
export async function readDocument(
  body: Uint8Array | string,
  validator: SchemaValidator,
): Promise<Record<string, unknown>> {
  const { text: xml, bytes } = decodeBody(body);
  let doc: Ordered;
  try {
    doc = parseXmlSafely(xml, true) as Ordered;
  } catch (error) {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, error instanceof XmlParseError ? error.message : 'unreadable XML');
  }
  const roots = doc.filter((n) => nameOf(n) !== undefined && nameOf(n) !== '?xml');
  const root = roots[0];
  if (roots.length !== 1 || !root || nameOf(root) !== 'property') {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'the document must have one <property> root');
  }
  // The command is read before the document is bound to the schema: an unknown one has its own code.
  const operation = attr(root, 'operation') ?? 'write';
  if (!OPERATIONS.has(operation)) throw new Refusal(ErrorCode.UNKNOWN_CMD, `unknown operation "${operation}"`);
  const verdict = await validator.validate(bytes);
  if (!verdict.valid) {
    throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, `XSD validation failed: ${verdict.errors.join('; ')}`);
  }
  return root;
}
