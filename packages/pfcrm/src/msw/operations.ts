import { describeOperation, operationIssues, type PropertyOperation } from '../operations.js';
import { PORTALS } from '../schemas/common.js';
import { type MockFieldError, MockHttpError } from './errors.js';
import type { MockProperty } from './properties.js';

/** What applying bulk actions needs from the account. */
export interface OperationContext {
  /** Properties by id. */
  properties: Map<number, MockProperty>;
  /** The mock's clock, in milliseconds. */
  now: number;
  /** A fresh property id (for duplicates). */
  nextId(): number;
  /** Account-wide settings changed by `/listing_level` and `/renewal`. */
  account: { listingLevel?: unknown; renewal?: unknown };
  /** Portals the account may publish on (the client settings' enabled portals). */
  enabledPortals: ReadonlySet<string>;
}

/** The rights `PATCH /properties` needs for an operation kind. */
function rightsFor(kind: string | undefined): string[] {
  if (kind === 'state') return ['property.update', 'property.approve'];
  if (kind === 'assignment' || kind === 'rera') return ['property.update', 'user.update', 'property.update.other'];
  return ['property.update'];
}

const operationsOf = (body: unknown): unknown =>
  body && typeof body === 'object' ? (body as { operations?: unknown }).operations : undefined;

/** Rights needed by a `PATCH /properties` body. */
export function rightsForOperations(body: unknown): string[] {
  const operations = operationsOf(body);
  const needed = new Set<string>(['property.update']);
  if (Array.isArray(operations)) {
    for (const op of operations) for (const r of rightsFor(describeOperation(op as object)?.kind)) needed.add(r);
  }
  return [...needed];
}

/**
 * `PATCH /properties` (and `/properties/{id}`): checks every operation first and applies
 * none when one is wrong — a 422 whose `errors` name each culprit by its position
 * (`{ field: 'operations.2.path', message: 'property 999999 not found' }`) — then applies them all.
 */
export function patchProperties(body: unknown, ctx: OperationContext, onlyId?: number): void {
  const operations = operationsOf(body);
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new MockHttpError(400, 'the body must be { "operations": [ … ] }');
  }
  const errors: MockFieldError[] = [];
  operations.forEach((op, i) => {
    for (const issue of operationIssues(op)) {
      errors.push({ field: issue.path ? `operations.${i}.${issue.path}` : `operations.${i}`, message: issue.message });
    }
    const target = describeOperation(op as object);
    const value = (op as { value?: unknown }).value;
    const known = typeof value === 'string' && (PORTALS as readonly string[]).includes(value);
    if (target?.kind === 'publication' && known && !ctx.enabledPortals.has(value)) {
      errors.push({ field: `operations.${i}.value`, message: `portal ${value} is not enabled for this account` });
    }
    if (typeof target?.id === 'number') {
      if (onlyId !== undefined && target.id !== onlyId) {
        errors.push({ field: `operations.${i}.path`, message: `operation targets ${target.id}, not ${onlyId}` });
      } else if (!ctx.properties.has(target.id)) {
        errors.push({ field: `operations.${i}.path`, message: `property ${target.id} not found` });
      }
    }
  });
  if (errors.length) throw new MockHttpError(422, 'invalid operations', errors);
  for (const op of operations as PropertyOperation[]) apply(op, ctx);
}

function duplicate(property: MockProperty, value: unknown, ctx: OperationContext, now: string): void {
  const v = value as { count: number; increment?: string[]; excludes?: string[] };
  const copies: number[] = [];
  for (let i = 1; i <= v.count; i++) {
    const copy: MockProperty = structuredClone(property);
    copy.id = ctx.nextId();
    copy.reference = `PF-${copy.id}`;
    copy.state = 'draft';
    copy.duplicated_list = [];
    for (const field of v.excludes ?? []) delete copy[field];
    if (v.increment?.includes('floor') && typeof copy.floor_number === 'number') copy.floor_number += i;
    if (v.increment?.includes('unit_number') && typeof copy.unit_number === 'string') {
      copy.unit_number = copy.unit_number.replace(/(\d+)(?!.*\d)/, (d) => String(Number(d) + i));
    }
    copy.created_at = now;
    copy.updated_at = now;
    ctx.properties.set(copy.id, copy);
    copies.push(copy.id);
  }
  property.duplicated_list = [...((property.duplicated_list as number[] | undefined) ?? []), ...copies.map(String)];
}

function publish(p: MockProperty, op: string, portal: string, now: string): void {
  const set = new Set((p.publication as string[] | undefined) ?? []);
  const dates = { ...((p.published_at as Record<string, string> | undefined) ?? {}) };
  if (op === 'add' && !set.has(portal)) dates[portal] = now;
  if (op === 'add') set.add(portal);
  else {
    set.delete(portal);
    delete dates[portal];
  }
  p.publication = [...set];
  p.published_at = dates;
  p.updated_at = now;
}

function apply(op: PropertyOperation, ctx: OperationContext): void {
  const target = describeOperation(op);
  if (!target) return;
  const now = new Date(ctx.now).toISOString();
  const property = typeof target.id === 'number' ? ctx.properties.get(target.id) : undefined;
  const value = op.value as unknown;
  if (target.kind === 'publication') {
    const targets = target.id === '*' ? [...ctx.properties.values()] : property ? [property] : [];
    for (const p of targets) publish(p, op.op, value as string, now);
    return;
  }
  if (target.kind === 'listing_level' || target.kind === 'renewal') {
    if (target.kind === 'listing_level') ctx.account.listingLevel = value;
    else ctx.account.renewal = value;
    return;
  }
  if (!property) return;
  switch (target.kind) {
    case 'state': {
      const v = value as { state: string; reason?: string };
      property.state = v.state;
      property.state_reason = v.reason ?? null;
      break;
    }
    case 'assignment':
      if (target.detail) property[target.detail] = value === null ? null : { id: Number(value) };
      break;
    case 'rera': {
      const licenses = { ...((property.licenses as Record<string, unknown> | undefined) ?? {}) };
      const rera = value as { type?: string; validation?: string } | null;
      const kind = rera?.type === 'listing' ? 'rera_listing' : 'rera';
      if (rera === null) delete licenses.rera;
      else licenses[kind] = { ...rera, state: rera.validation === 'manual' ? 'manual' : 'valid' };
      property.licenses = licenses;
      break;
    }
    case 'floor_plan':
    case 'pf_floor_plan': {
      const plan =
        target.kind === 'floor_plan'
          ? (value as { id: number; type: string; display_on?: string[] })
          : { id: Number(value), type: 'pf_floor_plan', display_on: [] };
      const plans = ((property.floor_plans as Array<{ id: number; type: string }> | undefined) ?? []).filter(
        (p) => !(p.id === plan.id && p.type === plan.type),
      );
      if (op.op === 'add') plans.push({ display_on: [], ...plan });
      property.floor_plans = plans;
      break;
    }
    case 'quality_score': {
      const languages = (property.languages as unknown[] | undefined)?.length ?? 0;
      const images = (property.images as unknown[] | undefined)?.length ?? 0;
      property.quality_score = Math.min(100, 40 + languages * 10 + images * 5);
      break;
    }
    case 'watermark': {
      const images = (property.images as Array<{ id: number; watermark?: boolean }> | undefined) ?? [];
      for (const image of images) {
        if (target.detail === undefined || image.id === Number(target.detail)) image.watermark = value === 'attach';
      }
      break;
    }
    case 'duplicate':
      duplicate(property, value, ctx, now);
      break;
    case 'verification':
      property.verification = [
        ...((property.verification as unknown[] | undefined) ?? []),
        { status: 'pending', processed_at: null, documents: (value as { documents: unknown }).documents },
      ];
      break;
  }
  property.updated_at = now;
}
