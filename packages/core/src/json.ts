/**
 * Deepest nesting of arrays and objects {@link parseJsonSafely} accepts. Real API answers
 * stay within a few dozen levels; far deeper ones would overflow the stack of whatever walks
 * them next (`JSON.stringify`, a reviver, a schema), so they are refused at the door.
 */
export const MAX_JSON_DEPTH = 512;

/** JSON nested deeper than {@link MAX_JSON_DEPTH}. */
export class JsonDepthError extends SyntaxError {
  constructor(maxDepth: number) {
    super(`JSON nested deeper than ${maxDepth} levels`);
    this.name = 'JsonDepthError';
  }
}

/** Whether arrays and objects in `text` nest deeper than `max`; strings are skipped. */
function nestsDeeperThan(text: string, max: number): boolean {
  // Nesting cannot exceed the number of opening brackets: nearly every body stops here.
  let openers = 0;
  for (let i = text.indexOf('{'); i >= 0 && openers <= max; i = text.indexOf('{', i + 1)) openers++;
  for (let i = text.indexOf('['); i >= 0 && openers <= max; i = text.indexOf('[', i + 1)) openers++;
  if (openers <= max) return false;
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Jump to the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false;
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === 92) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/** A `__proto__` key written with `\u` escapes (`"\u005f_proto__"`): JSON.parse decodes it to the real name. */
const ESCAPED_PROTO =
  /"(?:_|\\u005[fF]){2}(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[fF])(?:t|\\u0074)(?:o|\\u006[fF])(?:_|\\u005[fF]){2}"/;

const dropProto = (key: string, value: unknown) => (key === '__proto__' ? undefined : value);

/**
 * Parses JSON from a server. Keys named `__proto__`, however they are spelled, are dropped,
 * so parsed data cannot carry a prototype into an object built from it; nesting deeper than
 * {@link MAX_JSON_DEPTH} is refused with a {@link JsonDepthError}. Invalid JSON throws
 * `JSON.parse`'s `SyntaxError`, whose message may quote the text.
 */
export function parseJsonSafely(text: string, maxDepth: number = MAX_JSON_DEPTH): unknown {
  if (nestsDeeperThan(text, maxDepth)) throw new JsonDepthError(maxDepth);
  const hasProto = text.includes('__proto__') || (text.includes('\\u') && ESCAPED_PROTO.test(text));
  return hasProto ? JSON.parse(text, dropProto) : JSON.parse(text);
}
