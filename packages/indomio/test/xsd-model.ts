// Reads the shipped import schema as data, for the tests that check the model against it:
// which child elements and attributes each content model allows, following extensions,
// groups and references as the XSD declares them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { XMLParser } from 'fast-xml-parser';
import type { z } from 'zod';

type Node = Record<string, unknown>;

const xsdPath = createRequire(import.meta.url).resolve('@sync/indomio/import-schema.xsd');
/** The XSD's text, as shipped. */
export const xsdText = readFileSync(xsdPath, 'utf8');

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});
const root = ((parser.parse(xsdText) as Node)['xs:schema'] as Node[])[0] as Node;

function named(kind: string): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const n of (root[kind] as Node[] | undefined) ?? []) map.set(String(n['@name']), n);
  return map;
}
const complexTypes = named('xs:complexType');
const elements = named('xs:element');
const attributeGroups = named('xs:attributeGroup');

/** The child elements and attributes one content model allows. */
export interface ContentModel {
  elements: string[];
  attributes: string[];
}

function collect(node: Node, into: ContentModel): void {
  for (const [key, value] of Object.entries(node)) {
    if (!Array.isArray(value)) continue;
    for (const child of value as Node[]) {
      if (typeof child !== 'object' || child === null) continue;
      switch (key) {
        case 'xs:sequence':
        case 'xs:all':
        case 'xs:choice':
        case 'xs:complexContent':
        case 'xs:simpleContent':
          collect(child, into);
          break;
        case 'xs:extension':
        case 'xs:restriction': {
          const base = complexTypes.get(String(child['@base']));
          if (base) collect(base, into);
          collect(child, into);
          break;
        }
        case 'xs:element':
          into.elements.push(String(child['@name'] ?? child['@ref']));
          break;
        case 'xs:attribute':
          into.attributes.push(String(child['@name'] ?? child['@ref']));
          break;
        case 'xs:attributeGroup': {
          const group = attributeGroups.get(String(child['@ref']));
          if (group) collect(group, into);
          break;
        }
      }
    }
  }
}

/**
 * The content model of a named complex type (`type:name`), a global element (`element:name`),
 * or an anonymous type nested in either, by the child elements' names (`type:name/child/…`).
 */
export function contentModel(locator: string): ContentModel {
  const [head = '', ...path] = locator.split('/');
  const [kind, name] = head.split(':');
  let node = (kind === 'type' ? complexTypes : elements).get(name ?? '');
  if (!node) throw new Error(`no ${kind} named ${name} in the XSD`);
  for (const step of path) {
    node = findElement(node, step);
    if (!node) throw new Error(`no element ${step} in ${locator}`);
  }
  const typeName = node['@type'];
  if (typeof typeName === 'string' && complexTypes.has(typeName)) node = complexTypes.get(typeName) as Node;
  const into: ContentModel = { elements: [], attributes: [] };
  const inner = (node['xs:complexType'] as Node[] | undefined)?.[0];
  collect(inner ?? node, into);
  return into;
}

function findElement(node: Node, name: string): Node | undefined {
  for (const [key, value] of Object.entries(node)) {
    if (!Array.isArray(value)) continue;
    for (const child of value as Node[]) {
      if (typeof child !== 'object' || child === null) continue;
      if (key === 'xs:element' && child['@name'] === name) return child;
      const found = findElement(child, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** The XSD's text of a top-level declaration (`type:name` or `element:name`), up to the next one. */
function declarationText(locator: string): string {
  const [kind, name] = (locator.split('/')[0] ?? '').split(':');
  const tag = kind === 'type' ? 'xs:complexType' : 'xs:element';
  const start = xsdText.indexOf(`\n    <${tag} name="${name}"`);
  if (start < 0) throw new Error(`no ${kind} named ${name} in the XSD`);
  const next = xsdText.slice(start + 1).search(/\n {4}<xs:/);
  return next < 0 ? xsdText.slice(start) : xsdText.slice(start, start + 1 + next);
}

/**
 * Whether the XSD marks a child element of a content model deprecated (`<!-- deprecato -->`
 * after its declaration in that model).
 */
export function isMarkedDeprecated(locator: string, element: string): boolean {
  const escaped = element.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<xs:element name="${escaped}"[^>]*/>\\s*<!-- deprecato -->`).test(declarationText(locator));
}

/** A zod schema without its wrappers (optional, default, arrays, pipes, lazy parts). */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) {
      s = def.innerType as z.ZodType;
    } else if (def.type === 'array') s = def.element as z.ZodType;
    else if (def.type === 'pipe') s = def.in as z.ZodType;
    else if (def.type === 'lazy') s = (def.getter as () => z.ZodType)();
    else return s;
  }
  return s;
}

/** The keys of an object schema (after unwrapping), or of its union members. */
export function modelKeys(schema: z.ZodType): Set<string> {
  const s = unwrap(schema);
  const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === 'object') return new Set(Object.keys(def.shape as object));
  if (def.type === 'union') {
    const keys = new Set<string>();
    for (const option of def.options as z.ZodType[]) for (const k of modelKeys(option)) keys.add(k);
    return keys;
  }
  throw new Error(`not an object schema: ${def.type}`);
}

/** The schema at a key of an object schema (after unwrapping). */
export function field(schema: z.ZodType, ...path: string[]): z.ZodType {
  let s = schema;
  for (const key of path) {
    const def = unwrap(s)._zod.def as unknown as { shape?: Record<string, z.ZodType> };
    const next = def.shape?.[key];
    if (!next) throw new Error(`no key ${key} in the model`);
    s = next;
  }
  return s;
}

/** The model key of an XSD name by the default rule: kebab-case to camelCase. */
export function camel(name: string): string {
  return name.replace(/-([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());
}
