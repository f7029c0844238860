import { parseInput } from '@sync/core';
import { PORTAL } from '../portal.js';
import {
  type Realtor,
  type RealtorsUpdate,
  type RealtorsUpdateInput,
  RealtorsUpdateSchema,
} from '../schemas/realtor.js';
import { XmlWriter } from './writer.js';

/** The XML declaration every document starts with. */
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Writes one `<realtor>` element of an already validated realtor into `out`: its attributes,
 * then its children (the XSD's `xs:all`, in the schema's order), names in CDATA and every
 * other value escaped.
 */
export function writeRealtor(out: XmlWriter, r: Realtor): void {
  out.start('realtor');
  out.attr('external-id', r.externalId);
  out.attr('uuid', r.uuid);
  out.attr('id', r.id);
  out.attr('operation', r.operation);
  out.cdataElement('firstname', r.firstName);
  out.cdataElement('surname', r.surname);
  out.textElement('avatar', r.avatar);
  out.textElement('role', r.role);
  if (r.connections) {
    out.start('connections');
    for (const c of r.connections) {
      out.start('connection');
      out.attr('type', c.type);
      out.text(c.value);
      out.end('connection');
    }
    out.end('connections');
  }
  out.textElement('language', r.language);
  out.end('realtor');
}

/** Writes `<realtors>` with one `<realtor>` per entry (the XSD wants at least one: pass a non-empty list). */
export function writeRealtors(out: XmlWriter, realtors: readonly Realtor[]): void {
  out.start('realtors');
  for (const r of realtors) writeRealtor(out, r);
  out.end('realtors');
}

/**
 * Writes the realtor API's body, `<agent><email/><realtors>…</realtors></agent>`, of an
 * already validated update: the agency named by its username (and its portal id when known).
 */
export function writeRealtorsUpdate(out: XmlWriter, update: RealtorsUpdate): void {
  out.start('agent');
  out.attr('id', update.agencyId);
  out.textElement('email', update.agencyEmail);
  writeRealtors(out, update.realtors);
  out.end('agent');
}

/**
 * Validates a realtor API update and writes it as a UTF-8 XML document valid against the
 * portal's XSD; throws an `InputValidationError` naming every faulty field before anything is sent.
 *
 * @example
 * ```ts
 * const body = buildRealtorsXml({
 *   agencyEmail: 'agency@example.com',
 *   realtors: [{ externalId: 'crm-agent-7', firstName: 'Giulia', surname: 'Bianchi' }],
 * });
 * ```
 */
export function buildRealtorsXml(update: RealtorsUpdateInput, operation = 'buildRealtorsXml'): string {
  return realtorsDocument(validateRealtorsUpdate(update, operation));
}

/** Validates a realtor API update; throws an `InputValidationError` naming every faulty field. */
export function validateRealtorsUpdate(update: RealtorsUpdateInput, operation = 'realtors.put'): RealtorsUpdate {
  return parseInput(RealtorsUpdateSchema, update, { portal: PORTAL, operation });
}

/** The XML document of an already validated realtor API update. */
export function realtorsDocument(update: RealtorsUpdate): string {
  const out = new XmlWriter();
  out.raw(XML_DECLARATION);
  writeRealtorsUpdate(out, update);
  return out.toString();
}
