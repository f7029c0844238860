// The XML writer: escaping, CDATA, attributes and elements, written as UTF-8 straight into a
// Buffer. Every value goes through it, so a document cannot be broken by its content.

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

/** Room for one number or short piece of markup. */
const SMALL = 64;
/**
 * Strings up to this length are copied by a loop over their characters, escaping as it goes;
 * longer ones, or any with a character beyond ASCII, are encoded by `Buffer#utf8Write`, whose
 * native call costs more than copying a few characters but less than copying a few dozen.
 */
const TINY = 16;
/**
 * `Buffer#write` in UTF-8 without its checks of arguments, which cost as much as the native
 * call itself for a string of a few dozen characters (Node's Buffers have it, though its
 * types do not say so).
 */
const utf8Write: (this: Buffer, text: string, offset: number) => number =
  (Buffer.prototype as unknown as { utf8Write?: (this: Buffer, text: string, offset: number) => number }).utf8Write ??
  function (this: Buffer, text: string, offset: number): number {
    return this.write(text, offset, 'utf8');
  };
/** Most bytes a character of a short string can take: `&quot;`. */
const WIDEST = 6;

/** For each ASCII code, the index in {@link REFERENCES} of what replaces it, 0 when it stays as it is. */
function referenceTable(specials: string): Uint8Array {
  // 256 entries, so a UTF-8 byte can be looked up too (those beyond ASCII are all 0).
  const table = new Uint8Array(256);
  for (const c of specials) table[c.charCodeAt(0)] = REFERENCE_OF.indexOf(c) + 1;
  return table;
}
const REFERENCE_OF = ['&', '<', '>', '"', '\t', '\n', '\r'];
const REFERENCES = [undefined, ...REFERENCE_OF.map((c) => Buffer.from(ENTITIES[c] as string, 'latin1'))];
const TEXT_REFERENCES = referenceTable('&<>');
const ATTRIBUTE_REFERENCES = referenceTable('&<>"\t\n\r');

/**
 * Writes XML as UTF-8 into a Buffer, an element at a time: `start`, its attributes, then
 * content (`text`, `cdata` or child elements), then `end`, which closes an element left
 * without content as `<name/>`. Nothing is built as an intermediate string, and integers
 * are written digit by digit: a feed of many listings leaves little behind for the garbage
 * collector, and no number strings in V8's number cache, which keeps them alive.
 *
 * The bytes go into one growing Buffer ({@link XmlWriter.toString} gives the document), or,
 * with `spill`, into chunks handed over as they fill.
 */
export class XmlWriter {
  private buffer: Buffer;
  private at = 0;
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
    if (this.spill && this.at > 0) {
      this.buffer = this.spill(this.buffer.subarray(0, this.at));
      this.at = 0;
    }
  }

  /** The document written, as a string. */
  toString(): string {
    return this.buffer.toString('utf8', 0, this.at);
  }

  /** Markup as it is: the caller guarantees it is well formed. */
  raw(markup: string): void {
    this.closeTag();
    this.put(markup);
  }

  /** `<name`, taking attributes until the element gets content or ends. */
  start(name: string): void {
    if (this.tagOpen) this.closeTag();
    this.room(name.length + 1);
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = 0x3c; // <
    for (let i = 0; i < name.length; i++) buffer[at++] = name.charCodeAt(i);
    this.at = at;
    this.tagOpen = true;
  }

  /** One attribute of the element just started; nothing for `undefined`. */
  attr(name: string, value: XmlValue | undefined): void {
    if (value === undefined) return;
    this.room(name.length + 3);
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = 0x20; // space
    for (let i = 0; i < name.length; i++) buffer[at++] = name.charCodeAt(i);
    buffer[at++] = 0x3d; // =
    buffer[at++] = 0x22; // "
    this.at = at;
    if (typeof value === 'string') this.escaped(value, ATTRIBUTE_REFERENCES);
    else this.scalar(value);
    this.room(1);
    this.buffer[this.at++] = 0x22; // "
  }

  /** Escaped text as the element's content (an empty text still gives `<name></name>`). */
  text(value: XmlValue): void {
    if (this.tagOpen) this.closeTag();
    if (typeof value === 'string') this.escaped(value, TEXT_REFERENCES);
    else this.scalar(value);
  }

  /** Text as CDATA; a `]]>` inside is split across two sections so the text survives intact. */
  cdata(text: string): void {
    if (this.tagOpen) this.closeTag();
    this.room(9);
    this.ascii('<![CDATA[');
    this.put(text.includes(']]>') ? text.replaceAll(']]>', ']]]]><![CDATA[>') : text);
    this.room(3);
    this.ascii(']]>');
  }

  /** Ends the element: `/>` when it has no content, `</name>` otherwise. */
  end(name: string): void {
    if (this.tagOpen) {
      this.room(2);
      this.buffer[this.at++] = 0x2f; // /
      this.buffer[this.at++] = 0x3e; // >
      this.tagOpen = false;
      return;
    }
    this.close(name);
  }

  /** An element with escaped text, or nothing for `undefined`. */
  textElement(name: string, value: XmlValue | undefined): void {
    if (value === undefined) return;
    this.open(name);
    if (typeof value === 'string') this.escaped(value, TEXT_REFERENCES);
    else this.scalar(value);
    this.close(name);
  }

  /** An element with CDATA text (free text), or nothing for `undefined`. */
  cdataElement(name: string, value: string | undefined): void {
    if (value === undefined) return;
    this.open(name);
    this.cdata(value);
    this.close(name);
  }

  /** `<name>`, for an element given its content at once. */
  private open(name: string): void {
    if (this.tagOpen) this.closeTag();
    this.room(name.length + 2);
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = 0x3c; // <
    for (let i = 0; i < name.length; i++) buffer[at++] = name.charCodeAt(i);
    buffer[at++] = 0x3e; // >
    this.at = at;
  }

  /** `</name>`. */
  private close(name: string): void {
    this.room(name.length + 3);
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = 0x3c; // <
    buffer[at++] = 0x2f; // /
    for (let i = 0; i < name.length; i++) buffer[at++] = name.charCodeAt(i);
    buffer[at++] = 0x3e; // >
    this.at = at;
  }

  private closeTag(): void {
    if (!this.tagOpen) return;
    this.room(1);
    this.buffer[this.at++] = 0x3e; // >
    this.tagOpen = false;
  }

  /** A number as `String(n)` writes it, or a boolean as `true` / `false`. */
  private scalar(value: number | boolean): void {
    if (typeof value === 'boolean') {
      this.room(5);
      this.ascii(value ? 'true' : 'false');
    } else if (Number.isSafeInteger(value)) this.integer(value);
    else this.put(String(value));
  }

  /** A safe integer in decimal digits, without making a string of it. */
  private integer(n: number): void {
    this.room(SMALL);
    let rest = n;
    if (rest < 0) {
      this.buffer[this.at++] = 0x2d; // -
      rest = -rest;
    }
    let digits = 1;
    for (let power = 10; power <= rest; power *= 10) digits++;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      this.buffer[i] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.at += digits;
  }

  /** ASCII the caller has made room for: copied byte by byte, cheaper than encoding a short string. */
  private ascii(text: string): void {
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /**
   * Text with the characters `references` marks replaced by their references: a tiny ASCII
   * string in one pass over its characters; any other encoded natively, then looked over for
   * characters to replace (the bytes of UTF-8 beyond ASCII never are); one that has some goes
   * through {@link escapeText} or {@link escapeAttribute}.
   */
  private escaped(text: string, references: Uint8Array): void {
    const length = text.length;
    if (length <= TINY) {
      this.room(length * WIDEST);
      const buffer = this.buffer;
      let at = this.at;
      let i = 0;
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        const reference = references[c] as number;
        if (reference === 0) buffer[at++] = c;
        else {
          const bytes = REFERENCES[reference] as Buffer;
          for (let b = 0; b < bytes.length; b++) buffer[at++] = bytes[b] as number;
        }
      }
      if (i === length) {
        this.at = at;
        return;
      }
      // Beyond ASCII: this string goes the general way, from its start.
    } else if (length * 3 <= this.buffer.length || !this.spill) {
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      this.room(length * 3);
      const buffer = this.buffer;
      const at = this.at;
      const end = at + utf8Write.call(buffer, text, at);
      let b = at;
      while (b < end && (references[buffer[b] as number] as number) === 0) b++;
      if (b === end) {
        this.at = end;
        return;
      }
      // Something to replace: the bytes past `at` are written over.
    }
    this.put(references === TEXT_REFERENCES ? escapeText(text) : escapeAttribute(text));
  }

  /** Any text, as UTF-8. */
  private put(text: string): void {
    const length = text.length;
    if (length <= TINY) {
      this.room(length * 3);
      const buffer = this.buffer;
      const at = this.at;
      let i = 0;
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        buffer[at + i] = c;
      }
      if (i === length) {
        this.at = at + length;
        return;
      }
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    const most = length * 3;
    if (most > this.buffer.length && this.spill) {
      // Longer than a chunk: it goes out as a chunk of its own.
      this.flush();
      this.buffer = this.spill(Buffer.from(text, 'utf8'));
      return;
    }
    this.room(most);
    this.at += utf8Write.call(this.buffer, text, this.at);
  }

  /** Makes room for `bytes` more: hands over the chunk, or grows the Buffer. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    if (this.spill) {
      this.flush();
      if (bytes <= this.buffer.length) return;
    }
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }
}
