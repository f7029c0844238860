// A TypeDoc plugin for the guides: a name of the API written as inline code (`syncPortals`, `HttpClient`,
// `SyncState.plan`) becomes a link to its page in the reference. The guides stay plain Markdown, readable
// where they are stored, and their prose links into the reference wherever it names the API.
import {
  type Application,
  type CommentDisplayPart,
  type Context,
  Converter,
  type DeclarationReflection,
  type DocumentReflection,
  ReflectionKind,
} from 'typedoc';

/** `Name`, `Name()`, `Name.member` or `Name.member()`: the code spans that can name the API. */
const API_NAME = /^`([A-Z_a-z$][\w$]*)(?:\.([A-Z_a-z$][\w$]*))?(?:\(\))?`$/;

/**
 * A guide prefers the entry points of its own package (`package` in its front matter, else `@sync/core`) for
 * a name that several packages export, then core's.
 */
function preferredModules(guide: DocumentReflection): string[] {
  const own = typeof guide.frontmatter.package === 'string' ? guide.frontmatter.package : '@sync/core';
  return [own, `${own}/msw`, '@sync/core', '@sync/core/msw'];
}

function exportsByName(context: Context): Map<string, DeclarationReflection[]> {
  const byName = new Map<string, DeclarationReflection[]>();
  for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
    for (const declaration of module.children ?? []) {
      const list = byName.get(declaration.name) ?? [];
      list.push(declaration);
      byName.set(declaration.name, list);
    }
  }
  return byName;
}

function linkTarget(
  byName: Map<string, DeclarationReflection[]>,
  guide: DocumentReflection,
  name: string,
  member: string | undefined,
): DeclarationReflection | undefined {
  const candidates = byName.get(name);
  if (!candidates) return undefined;
  let target = candidates.length === 1 ? candidates[0] : undefined;
  if (!target) {
    for (const module of preferredModules(guide)) {
      target = candidates.find((c) => c.parent?.name === module);
      if (target) break;
    }
  }
  if (!target || member === undefined) return target;
  return target.getChildByName(member) as DeclarationReflection | undefined;
}

function linkParts(guide: DocumentReflection, byName: Map<string, DeclarationReflection[]>): void {
  const parts: CommentDisplayPart[] = guide.content;
  for (const [index, part] of parts.entries()) {
    if (part.kind !== 'code') continue;
    const match = API_NAME.exec(part.text);
    if (!match?.[1]) continue;
    const target = linkTarget(byName, guide, match[1], match[2]);
    if (!target) continue;
    parts[index] = { kind: 'inline-tag', tag: '@linkcode', text: part.text.slice(1, -1), target };
  }
}

/** Registers the plugin with TypeDoc (named in `typedoc.json`). */
export function load(app: Application): void {
  // Before TypeDoc resolves links (priority -300), once every reflection exists.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context: Context) => {
      const byName = exportsByName(context);
      const guides = context.project.getReflectionsByKind(ReflectionKind.Document) as DocumentReflection[];
      for (const guide of guides) linkParts(guide, byName);
    },
    0,
  );
}
