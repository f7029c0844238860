import { MAX_ERROR_BODY, type Redactor, SyncError, UnexpectedResponseError } from '@sync/core';
import { type X2jOptions, XMLParser } from 'fast-xml-parser';
import { hasInvalidXmlChars } from '../schemas/property.js';
import {
  SERVICE_RESPONSE_NODES,
  type ServiceResponse,
  ServiceResponseSchema,
  serviceResponseFromText,
} from '../schemas/service-response.js';

const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype']);
const DROPPED = 'dangerous-name';

/** Thrown for XML that is not well-formed or carries a document type declaration. */
export class XmlParseError extends SyncError {
  static override readonly brand: string = 'XmlParseError';
  constructor(message: string) {
    super(message, { portal: 'indomio', operation: 'parse' });
  }
}

/**
 * Refuses a document type declaration: it is the only way to define entities, so without
 * it neither entity expansion (billion laughs) nor external entities (XXE) can happen.
 */
export function assertNoDoctype(xml: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new XmlParseError('document type declarations are refused');
}

function options(preserveOrder: boolean): X2jOptions {
  return {
    processEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    cdataPropName: '#cdata',
    preserveOrder,
    // Element and attribute names that could reach an object's prototype are dropped.
    transformTagName: (name) => (DANGEROUS.has(name) ? DROPPED : name),
    transformAttributeName: (name) => (DANGEROUS.has(name) ? DROPPED : name),
    updateTag: (name) => name !== DROPPED,
  };
}

const flatParser = new XMLParser(options(false));
const orderedParser = new XMLParser(options(true));

/**
 * Parses XML without expanding any entity: a DOCTYPE is refused, names such as
 * `__proto__` are dropped. `ordered` keeps the children's order (fast-xml-parser's
 * `preserveOrder` shape).
 */
export function parseXmlSafely(xml: string, ordered = false): unknown {
  assertNoDoctype(xml);
  try {
    return (ordered ? orderedParser : flatParser).parse(xml, true);
  } catch (error) {
    const message = typeof error === 'object' && error && 'err' in error ? JSON.stringify(error) : String(error);
    throw new XmlParseError(`not well-formed XML: ${message}`);
  }
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references, and nothing else. */
export function decodeXmlText(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}

/** The text of a parsed element: entity-decoded text plus its CDATA sections. */
export function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node !== 'object') return decodeXmlText(String(node));
  const record = node as Record<string, unknown>;
  const cdata = record['#cdata'];
  const cdataText = Array.isArray(cdata) ? cdata.map(String).join('') : cdata === undefined ? '' : String(cdata);
  const own = record['#text'];
  return decodeXmlText(own === undefined ? '' : String(own)) + cdataText;
}

const XML_SPACE = '[ \\t\\r\\n]*';
const DECLARATION = new RegExp(
  `^(?:<\\?xml[ \\t\\r\\n]+version${XML_SPACE}=${XML_SPACE}(["'])1\\.[0-9]\\1(?:[ \\t\\r\\n]+encoding${XML_SPACE}=${XML_SPACE}(["'])[A-Za-z][\\w.-]*\\2)?(?:[ \\t\\r\\n]+standalone${XML_SPACE}=${XML_SPACE}(["'])(?:yes|no)\\3)?${XML_SPACE}\\?>)?${XML_SPACE}<ServiceResponse${XML_SPACE}>${XML_SPACE}`,
  'y',
);
const OPEN = new RegExp(`<([A-Za-z_][\\w.-]*)${XML_SPACE}(\\/?)>`, 'y');
const SPACE = /[ \t\r\n]*/y;
const END = new RegExp(`<\\/ServiceResponse${XML_SPACE}>${XML_SPACE}$`, 'y');
const KNOWN_REFERENCES = /&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;

function skipSpace(xml: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.test(xml);
  return SPACE.lastIndex;
}

/**
 * The nodes of a `ServiceResponse` in the plain shape the portal sends — declaration, root
 * without attributes, child elements holding text — read without a general parser.
 * `undefined` for anything else (comments, CDATA, attributes, nesting…), which then goes
 * through {@link parseXmlSafely}: this accepts only a subset of well-formed documents.
 */
function scanServiceResponse(xml: string): Record<string, unknown> | undefined {
  DECLARATION.lastIndex = 0;
  if (!DECLARATION.test(xml)) return undefined;
  const raw: Record<string, unknown> = {};
  let at = DECLARATION.lastIndex;
  while (!xml.startsWith('</', at)) {
    OPEN.lastIndex = at;
    const open = OPEN.exec(xml);
    if (!open) return undefined;
    const node = open[1] ?? '';
    at = OPEN.lastIndex;
    let text = '';
    if (open[2] === '') {
      // Text up to the next tag, which must close this element: nothing nested.
      const end = xml.indexOf('<', at);
      if (end < 0 || !xml.startsWith(`</${node}`, end)) return undefined;
      text = xml.slice(at, end);
      // Characters XML does not allow, and `]]>`, which character data must not contain.
      if (text.includes(']]>') || hasInvalidXmlChars(text)) return undefined;
      if (text.includes('&') && text.replace(KNOWN_REFERENCES, '').includes('&')) return undefined;
      at = skipSpace(xml, end + node.length + 2);
      if (xml.charCodeAt(at) !== 62 /* > */) return undefined;
      at++;
    }
    at = skipSpace(xml, at);
    if (DANGEROUS.has(node)) continue;
    const key = SERVICE_RESPONSE_NODES[node] ?? node;
    if (!Object.hasOwn(raw, key)) raw[key] = decodeXmlText(text.trim());
  }
  END.lastIndex = at;
  return END.test(xml) ? raw : undefined;
}

/** The nodes of a `ServiceResponse` through the general parser, whatever its shape. */
function parseServiceResponseNodes(xml: string): Record<string, unknown> {
  const doc = parseXmlSafely(xml) as Record<string, unknown>;
  const root = doc.ServiceResponse;
  if (!root || typeof root !== 'object') throw new XmlParseError('the document is not a ServiceResponse');
  const raw: Record<string, unknown> = {};
  for (const [node, value] of Object.entries(root as Record<string, unknown>)) {
    if (node.startsWith('@')) continue;
    const key = SERVICE_RESPONSE_NODES[node] ?? node;
    raw[key] = Array.isArray(value) ? textOf(value[0]) : typeof value === 'object' ? textOf(value) : textOf(value);
  }
  return raw;
}

/**
 * Reads a portal `ServiceResponse`, whatever the order of its nodes, into a typed object.
 * Throws {@link XmlParseError} for a document that is not one.
 */
export function parseServiceResponse(xml: string): ServiceResponse {
  assertNoDoctype(xml);
  const raw = scanServiceResponse(xml) ?? parseServiceResponseNodes(xml);
  const fast = serviceResponseFromText(raw);
  if (fast) return fast;
  const parsed = ServiceResponseSchema.safeParse(raw);
  if (!parsed.success) {
    const list = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new XmlParseError(`invalid ServiceResponse: ${list}`);
  }
  return parsed.data;
}

/** Longest part of a parser's explanation an error message quotes. */
const MAX_REASON = 300;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * {@link parseServiceResponse} for an HTTP answer: failures become core errors. With the
 * client's `redactor`, neither the error nor its cause quotes a registered secret.
 */
export function readServiceResponse(
  xml: string,
  context: { portal: string; operation: string; itemId?: string | undefined; status: number },
  redactor?: Redactor,
): ServiceResponse {
  try {
    return parseServiceResponse(xml);
  } catch (error) {
    // The parser quotes what it stumbled on (an element's name, a piece of text): the answer may echo a credential.
    const cause = redactor ? redactor.error(error) : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const body = redactor ? redactor.text(xml, MAX_ERROR_BODY) : cut(xml, MAX_ERROR_BODY);
    throw new UnexpectedResponseError(`expected a ServiceResponse: ${cut(reason, MAX_REASON)}`, {
      ...context,
      body,
      cause,
    });
  }
}
