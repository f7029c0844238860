// The primitives of the XML string writer: escaping, CDATA, attributes and elements.
// Every value goes through one of them, so a document cannot be broken by its content.

const TEXT_SPECIAL = /[&<>]/;
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r]/;
const ATTRIBUTE_SPECIALS = /[&<>"\t\n\r]/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const entity = (c: string): string => ENTITIES[c] ?? c;

/** Escapes element text: `&`, `<` and `>` (so a `]]>` in text is harmless too). */
export function escapeText(text: string): string {
  if (!TEXT_SPECIAL.test(text)) return text;
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Escapes an attribute value: markup characters and quotes, and tabs and line breaks as
 * character references, which a parser's attribute normalisation would otherwise turn into spaces.
 */
export function escapeAttribute(value: string): string {
  if (!ATTRIBUTE_SPECIAL.test(value)) return value;
  return value.replace(ATTRIBUTE_SPECIALS, entity);
}

/** Text as CDATA; a `]]>` inside is split across two sections so the text survives intact. */
export function cdata(text: string): string {
  return `<![CDATA[${text.includes(']]>') ? text.replaceAll(']]>', ']]]]><![CDATA[>') : text}]]>`;
}

/** Writes numbers as the XSD's numeric types read them. */
export function formatNumber(n: number): string {
  return String(n);
}

/** One attribute with a leading space, or nothing for `undefined`. */
export function attr(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return ` ${name}="${typeof value === 'string' ? escapeAttribute(value) : String(value)}"`;
}

/** An element whose content is already markup (`''` gives an empty element). */
export function element(name: string, content: string, attributes = ''): string {
  return content === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
}

/** An element with escaped text, or nothing for `undefined`. */
export function textElement(name: string, value: string | number | boolean | undefined, attributes = ''): string {
  if (value === undefined) return '';
  const text =
    typeof value === 'string' ? escapeText(value) : typeof value === 'number' ? formatNumber(value) : String(value);
  return `<${name}${attributes}>${text}</${name}>`;
}

/** An element with CDATA text (free text), or nothing for `undefined`. */
export function cdataElement(name: string, value: string | undefined, attributes = ''): string {
  if (value === undefined) return '';
  return `<${name}${attributes}>${cdata(value)}</${name}>`;
}
