// The XML writer: escaping, CDATA, attributes and elements, encoded as UTF-8 into a Buffer.
// Every value goes through it, so a document cannot be broken by its content.

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

/** A value the writer puts in text or attributes; numbers as the XSD's numeric types read them. */
export type XmlValue = string | number | boolean;

/** UTF-16 units of markup gathered before they are encoded into the Buffer. */
const PENDING = 8 * 1024;

/**
 * Writes XML as UTF-8 into a Buffer, an element at a time: `start`, its attributes, then
 * content (`text`, `cdata` or child elements), then `end`, which closes an element left
 * without content as `<name/>`.
 *
 * The pieces are joined as a string and encoded into the Buffer a few kilobytes at a time:
 * one native call for many elements. Copying characters into the Buffer from JavaScript is
 * faster only while V8 keeps its fastest typed-array code, which it gives up for good in a
 * process where anything detached an ArrayBuffer, as web streams and `fetch` do (measured:
 * two to four times slower); encoding a string costs the same in any process.
 *
 * The bytes go into one growing Buffer ({@link XmlWriter.toString} gives the document), or,
 * with `spill`, into chunks handed over as they fill.
 */
export class XmlWriter {
  private buffer: Buffer;
  private at = 0;
  /** Markup written and not yet encoded into {@link XmlWriter.buffer}. */
  private pending = '';
  /** Whether the last element started still takes attributes (`<name` written, `>` not yet). */
  private tagOpen = false;

  /**
   * @param spill Takes a full chunk (the bytes written so far) and gives the Buffer to write
   *   the next ones into; without it the Buffer grows.
   */
  constructor(
    size = 16 * 1024,
    private readonly spill?: (written: Buffer) => Buffer,
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** Hands over the bytes written and not yet spilled, and carries on in the Buffer given back. */
  flush(): void {
    this.encode();
    if (this.spill && this.at > 0) {
      this.buffer = this.spill(this.buffer.subarray(0, this.at));
      this.at = 0;
    }
  }

  /** The document written, as a string. */
  toString(): string {
    this.encode();
    return this.buffer.toString('utf8', 0, this.at);
  }

  /** Markup as it is: the caller guarantees it is well formed. */
  raw(markup: string): void {
    if (this.tagOpen) this.closeTag();
    this.pending += markup;
    this.encodeIfFull();
  }

  /** `<name`, taking attributes until the element gets content or ends. */
  start(name: string): void {
    if (this.tagOpen) this.closeTag();
    this.pending += `<${name}`;
    this.tagOpen = true;
  }

  /** One attribute of the element just started; nothing for `undefined`. */
  attr(name: string, value: XmlValue | undefined): void {
    if (value === undefined) return;
    this.pending += ` ${name}="${typeof value === 'string' ? escapeAttribute(value) : scalar(value)}"`;
  }

  /** Escaped text as the element's content (an empty text still gives `<name></name>`). */
  text(value: XmlValue): void {
    if (this.tagOpen) this.closeTag();
    this.pending += typeof value === 'string' ? escapeText(value) : scalar(value);
  }

  /** Text as CDATA; a `]]>` inside is split across two sections so the text survives intact. */
  cdata(text: string): void {
    if (this.tagOpen) this.closeTag();
    this.pending += `<![CDATA[${text.includes(']]>') ? text.replaceAll(']]>', ']]]]><![CDATA[>') : text}]]>`;
  }

  /** Ends the element: `/>` when it has no content, `</name>` otherwise. */
  end(name: string): void {
    if (this.tagOpen) {
      this.pending += '/>';
      this.tagOpen = false;
    } else this.pending += `</${name}>`;
    this.encodeIfFull();
  }

  /** An element with escaped text, or nothing for `undefined`. */
  textElement(name: string, value: XmlValue | undefined): void {
    if (value === undefined) return;
    if (this.tagOpen) this.closeTag();
    this.pending += `<${name}>${typeof value === 'string' ? escapeText(value) : scalar(value)}</${name}>`;
    this.encodeIfFull();
  }

  /** An element with CDATA text (free text), or nothing for `undefined`. */
  cdataElement(name: string, value: string | undefined): void {
    if (value === undefined) return;
    if (this.tagOpen) this.closeTag();
    this.pending += `<${name}><![CDATA[${value.includes(']]>') ? value.replaceAll(']]>', ']]]]><![CDATA[>') : value}]]></${name}>`;
    this.encodeIfFull();
  }

  private closeTag(): void {
    this.pending += '>';
    this.tagOpen = false;
  }

  private encodeIfFull(): void {
    if (this.pending.length >= PENDING) this.encode();
  }

  /** Encodes the markup gathered into the Buffer, as UTF-8. */
  private encode(): void {
    const text = this.pending;
    if (text === '') return;
    this.pending = '';
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    const most = text.length * 3;
    if (this.at + most > this.buffer.length) {
      if (this.spill) {
        if (this.at > 0) {
          this.buffer = this.spill(this.buffer.subarray(0, this.at));
          this.at = 0;
        }
        if (most > this.buffer.length) {
          // Longer than a chunk: it goes out as a chunk of its own.
          this.buffer = this.spill(Buffer.from(text, 'utf8'));
          return;
        }
      } else {
        const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + most));
        this.buffer.copy(grown, 0, 0, this.at);
        this.buffer = grown;
      }
    }
    this.at += this.buffer.write(text, this.at, 'utf8');
  }
}

/** A number as `String(n)` writes it, or a boolean as `true` / `false`. */
function scalar(value: number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}
