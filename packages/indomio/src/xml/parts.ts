// Pieces of markup that several elements of the import schema share: values with one
// attribute, amounts, leaf tables and pictures. Every value goes through the `XmlWriter`.
import type { Amount, Cost, DecimalAmount, LangText, LeafTable } from '../schemas/common.js';
import type { Link } from '../schemas/extended.js';
import type { Document, Picture, Video } from '../schemas/media.js';
import type { ContactInfo } from '../schemas/property.js';
import type { XmlValue, XmlWriter } from './writer.js';

/** `xs:decimal` with at most 8 fraction digits and no exponent, as latitude and longitude need. */
export function coordinate(n: number): string {
  const fixed = n.toFixed(8).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** `xs:decimal` text of a number: no exponent, which the type does not allow. */
export function decimal(n: number): string {
  const plain = String(n);
  if (!/e/i.test(plain)) return plain;
  const fixed = n.toFixed(20).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** `yes` / `no` for the XSD's yes-or-no string types. */
export const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');

/** An element with CDATA text and one attribute, or nothing for `undefined` text. */
export function cdataWith(
  out: XmlWriter,
  name: string,
  text: string | undefined,
  attribute: string,
  value?: XmlValue,
): void {
  if (text === undefined) return;
  out.start(name);
  out.attr(attribute, value);
  out.cdata(text);
  out.end(name);
}

/** An element with escaped text and one attribute, or nothing for `undefined` text. */
export function textWith(
  out: XmlWriter,
  name: string,
  text: XmlValue | undefined,
  attribute: string,
  value?: XmlValue,
): void {
  if (text === undefined) return;
  out.start(name);
  out.attr(attribute, value);
  out.text(text);
  out.end(name);
}

/** An amount, whole (`priceType`) or with decimals (`priceDecimalType`), or nothing. */
export function amountXml(out: XmlWriter, name: string, a: Amount | DecimalAmount | undefined): void {
  if (!a) return;
  out.start(name);
  out.attr('currency', a.currency);
  out.attr('reserved', a.reserved);
  out.text(a.value);
  out.end(name);
}

/** A cost with its currency (`additionalCostsType`), or nothing. */
export function costXml(out: XmlWriter, name: string, c: Cost | undefined): void {
  if (c) textWith(out, name, c.value, 'currency', c.currency);
}

/** A leaf table's entries as `[key, XSD name, CDATA?]`, computed once per table. */
export type LeafEntries = ReadonlyArray<readonly [key: string, xsdName: string, cdata: boolean]>;

/** The entries of a leaf table, for {@link writeLeaves}. */
export function leafEntries(table: LeafTable): LeafEntries {
  return Object.entries(table).map(([key, leaf]) => [key, leaf[0], leaf[2] === 'cdata'] as const);
}

/** Writes the leaf elements of `values` that are set, free text in CDATA and other values escaped. */
export function writeLeaves(out: XmlWriter, entries: LeafEntries, values: object): void {
  const record = values as Record<string, XmlValue | undefined>;
  for (const [key, name, cdata] of entries) {
    const value = record[key];
    if (value === undefined) continue;
    if (cdata && typeof value === 'string') out.cdataElement(name, value);
    else out.textElement(name, value);
  }
}

/** Pictures as `name` elements, positions defaulting to the place in the list from 1. */
export function pictures(out: XmlWriter, list: readonly Picture[], name: string): void {
  for (let i = 0; i < list.length; i++) {
    const p = list[i] as Picture;
    out.start(name);
    out.attr('position', p.position ?? i + 1);
    out.attr('url', p.url);
    out.attr('id', p.id);
    out.attr('etag', p.etag);
    out.attr('width', p.width);
    out.attr('height', p.height);
    out.end(name);
  }
}

/** A list element around pictures, or nothing for `undefined`. */
export function pictureList(out: XmlWriter, list: readonly Picture[] | undefined, outer: string, inner: string): void {
  if (!list) return;
  out.start(outer);
  pictures(out, list, inner);
  out.end(outer);
}

/** Writes `documents`, positions defaulting to the place in the list from 1; nothing for `undefined`. */
export function documentsXml(out: XmlWriter, list: readonly Document[] | undefined): void {
  if (!list) return;
  out.start('documents');
  list.forEach((d, i) => {
    out.start('document');
    out.attr('position', d.position ?? i + 1);
    out.attr('mimetype', d.mimeType);
    out.attr('url', d.url);
    out.attr('type', d.type);
    if (d.title !== undefined) out.cdata(d.title);
    out.end('document');
  });
  out.end('documents');
}

/** Writes `videos`, or nothing for `undefined`. */
export function videosXml(out: XmlWriter, list: readonly Video[] | undefined): void {
  if (!list) return;
  out.start('videos');
  for (const v of list) textWith(out, 'video', v.url, 'type', v.type);
  out.end('videos');
}

/** `links/link`, or nothing for `undefined`; a link with an empty title is written without text. */
export function linksXml(out: XmlWriter, list: readonly Link[] | undefined): void {
  if (!list) return;
  out.start('links');
  for (const l of list) {
    out.start('link');
    out.attr('url', l.url);
    out.attr('type', l.type);
    if (l.title !== '') out.cdata(l.title);
    out.end('link');
  }
  out.end('links');
}

/** `contact-infos/contact-info`, or nothing for `undefined`. */
export function contactInfosXml(out: XmlWriter, list: readonly ContactInfo[] | undefined): void {
  if (!list) return;
  out.start('contact-infos');
  for (const c of list) textWith(out, 'contact-info', c.value, 'type', c.type);
  out.end('contact-infos');
}

/** A text in one language (`@language`, `@native`, the text in CDATA) as `name`, or nothing. */
export function langTextXml(out: XmlWriter, name: string, t: LangText | undefined): void {
  if (!t) return;
  out.start(name);
  out.attr('language', t.language);
  out.attr('native', t.native ? 'yes' : undefined);
  out.cdata(t.value);
  out.end(name);
}
