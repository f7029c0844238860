import { UnexpectedResponseError } from '@sync/core';
import { type X2jOptions, XMLParser } from 'fast-xml-parser';
import { SERVICE_RESPONSE_NODES, type ServiceResponse, ServiceResponseSchema } from '../schemas/service-response.js';

const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype']);
const DROPPED = 'dangerous-name';

/** Thrown for XML that is not well-formed or carries a document type declaration. */
export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
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

/**
 * Reads a portal `ServiceResponse`, whatever the order of its nodes, into a typed object.
 * Throws {@link XmlParseError} for a document that is not one.
 */
export function parseServiceResponse(xml: string): ServiceResponse {
  const doc = parseXmlSafely(xml) as Record<string, unknown>;
  const root = doc.ServiceResponse;
  if (!root || typeof root !== 'object') throw new XmlParseError('the document is not a ServiceResponse');
  const raw: Record<string, unknown> = {};
  for (const [node, value] of Object.entries(root as Record<string, unknown>)) {
    if (node.startsWith('@')) continue;
    const key = SERVICE_RESPONSE_NODES[node] ?? node;
    raw[key] = Array.isArray(value) ? textOf(value[0]) : typeof value === 'object' ? textOf(value) : textOf(value);
  }
  const parsed = ServiceResponseSchema.safeParse(raw);
  if (!parsed.success) {
    const list = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new XmlParseError(`invalid ServiceResponse: ${list}`);
  }
  return parsed.data;
}

/** {@link parseServiceResponse} for an HTTP answer: failures become core errors. */
export function readServiceResponse(
  xml: string,
  context: { portal: string; operation: string; itemId?: string | undefined; status: number },
): ServiceResponse {
  try {
    return parseServiceResponse(xml);
  } catch (error) {
    throw new UnexpectedResponseError(`expected a ServiceResponse: ${(error as Error).message}`, {
      ...context,
      body: xml.length > 2000 ? `${xml.slice(0, 2000)}…` : xml,
      cause: error,
    });
  }
}
