import type { InputIssue } from '@sync/core';
import { toInputIssues } from '@sync/core';
import { z } from 'zod';
import { IdSchema, ListingLevelSchema, type Portal, PortalSchema } from './schemas/common.js';

/** Id of the property an operation targets. */
export type PropertyId = number;

/** New workflow state of a property. */
export interface StateValue {
  /** `approved`, `refused` or `archived`. */
  state: 'approved' | 'refused' | 'archived';
  /** Why, when refused. */
  reason?: string | undefined;
}

/** A RERA permit or listing number to assign. */
export interface ReraValue {
  /** `permit` or `listing`. */
  type: 'permit' | 'listing';
  /** The number. */
  number: string | number;
  /** Issue date; required when `validation` is `manual`. */
  issue_date?: string | undefined;
  /** Expiry date. */
  expiry_date?: string | undefined;
  /** `manual` or `automatic`. */
  validation: 'manual' | 'automatic';
}

/** A floor plan to attach or detach through `/{id}/assignment/floor_plan`. */
export interface FloorPlanValue {
  /** Floor plan id: a Property Finder plan id, or a document id of the property. */
  id: number;
  /** `my_floor_plan` or `pf_floor_plan`. */
  type: 'my_floor_plan' | 'pf_floor_plan';
  /** Where it shows (`pdf`, `public-page`); needed when adding. */
  display_on?: Array<'pdf' | 'public-page'> | undefined;
}

/** How a property is duplicated. */
export interface DuplicateValue {
  /** How many copies. */
  count: number;
  /** Fields incremented in each copy. */
  increment?: Array<'unit_number' | 'floor'> | undefined;
  /** Fields not copied (e.g. `documents`). */
  excludes?: string[] | undefined;
}

/** Listing level to buy for the account's properties. */
export interface ListingLevelValue {
  /** `standard`, `premium` or `featured`. */
  listing_level: 'standard' | 'premium' | 'featured';
  /** The product bought. */
  product_id: string;
  /** `1` to renew automatically (mandatory for credit clients). */
  renewal?: 0 | 1 | undefined;
}

/** Renewal setting of a product. */
export interface RenewalValue {
  /** The product. */
  product_id: string;
  /** `1` to renew automatically. */
  renewal: 0 | 1;
}

/** A document for verification: one already attached (`id`) or just uploaded (`token` + `title`). */
export type VerificationDocument =
  | { id: number; tag?: string | undefined }
  | { token: string; title: string; tag?: string | undefined };

/** Documents submitted for verification. */
export interface VerificationValue {
  /** Whether the just-uploaded documents are added to the user's cloud too. */
  document_add?: boolean | undefined;
  /** The documents; `additional_document` is optional and may hold several. */
  documents: {
    form_a: VerificationDocument;
    title_deed: VerificationDocument;
    passport_copy: VerificationDocument;
    additional_document?: VerificationDocument[] | undefined;
  };
}

/** One operation of `PATCH /properties`, as sent. Build them with {@link ops}. */
export type PropertyOperation =
  | { op: 'replace'; path: `/${number}/state`; value: StateValue }
  | { op: 'add' | 'remove'; path: `/${number | '*'}/publication`; value: Portal }
  | { op: 'replace'; path: `/${number}/assignment/${'user' | 'landlord' | 'lead'}`; value: number | null }
  | { op: 'replace'; path: `/${number}/assignment/rera`; value: ReraValue | null }
  | { op: 'add' | 'remove'; path: `/${number}/assignment/floor_plan`; value: FloorPlanValue }
  | { op: 'add' | 'remove'; path: `/${number}/pf_floor_plan`; value: string }
  | { op: 'refresh'; path: `/${number}/quality_score`; value: null }
  | { op: 'watermark'; path: `/${number}/images` | `/${number}/images/${number}`; value: 'attach' | 'detach' }
  | { op: 'duplicate'; path: `/${number}/duplication`; value: DuplicateValue }
  | { op: 'replace'; path: '/listing_level'; value: ListingLevelValue }
  | { op: 'replace'; path: '/renewal'; value: RenewalValue }
  | { op: 'submit'; path: `/${number}/verification`; value: VerificationValue };

/**
 * Builders of every bulk action of `PATCH /properties`, so callers never spell a
 * path: `properties.bulk([ops.approve(1), ops.refuse(5, 'blurry photos')])`.
 *
 * @example
 * const report = await pf.properties.bulk([ops.approve(12), ops.publish(12, 'propertyfinder')]);
 */
export const ops = {
  /** Approves a property. */
  approve: (id: PropertyId): PropertyOperation => ({
    op: 'replace',
    path: `/${id}/state`,
    value: { state: 'approved' },
  }),
  /** Refuses a property, optionally saying why. */
  refuse: (id: PropertyId, reason?: string): PropertyOperation => ({
    op: 'replace',
    path: `/${id}/state`,
    value: reason === undefined ? { state: 'refused' } : { state: 'refused', reason },
  }),
  /** Archives a property. */
  archive: (id: PropertyId): PropertyOperation => ({
    op: 'replace',
    path: `/${id}/state`,
    value: { state: 'archived' },
  }),
  /** Publishes one property (or every property with `'*'`) on a portal. */
  publish: (id: PropertyId | '*', portal: Portal): PropertyOperation => ({
    op: 'add',
    path: `/${id}/publication`,
    value: portal,
  }),
  /** Removes one property (or every property with `'*'`) from a portal. */
  unpublish: (id: PropertyId | '*', portal: Portal): PropertyOperation => ({
    op: 'remove',
    path: `/${id}/publication`,
    value: portal,
  }),
  /** Assigns the property to an agent; `null` clears the assignment. */
  assignUser: (id: PropertyId, userId: number | null): PropertyOperation => ({
    op: 'replace',
    path: `/${id}/assignment/user`,
    value: userId,
  }),
  /** Assigns the property to a landlord; `null` clears it. */
  assignLandlord: (id: PropertyId, landlordId: number | null): PropertyOperation => ({
    op: 'replace',
    path: `/${id}/assignment/landlord`,
    value: landlordId,
  }),
  /** Links the property to a lead; `null` clears it. */
  assignLead: (id: PropertyId, leadId: number | null): PropertyOperation => ({
    op: 'replace',
    path: `/${id}/assignment/lead`,
    value: leadId,
  }),
  /** Assigns a RERA permit or listing number; `null` removes it. */
  assignRera: (id: PropertyId, rera: ReraValue | null): PropertyOperation => ({
    op: 'replace',
    path: `/${id}/assignment/rera`,
    value: rera,
  }),
  /** Attaches a floor plan (`/{id}/assignment/floor_plan`). */
  addFloorPlan: (id: PropertyId, plan: FloorPlanValue): PropertyOperation => ({
    op: 'add',
    path: `/${id}/assignment/floor_plan`,
    value: plan,
  }),
  /** Detaches a floor plan (`/{id}/assignment/floor_plan`). */
  removeFloorPlan: (id: PropertyId, plan: FloorPlanValue): PropertyOperation => ({
    op: 'remove',
    path: `/${id}/assignment/floor_plan`,
    value: plan,
  }),
  /** Attaches a Property Finder floor plan by id (`/{id}/pf_floor_plan`). */
  addPfFloorPlan: (id: PropertyId, floorPlanId: string | number): PropertyOperation => ({
    op: 'add',
    path: `/${id}/pf_floor_plan`,
    value: String(floorPlanId),
  }),
  /** Detaches a Property Finder floor plan by id (`/{id}/pf_floor_plan`). */
  removePfFloorPlan: (id: PropertyId, floorPlanId: string | number): PropertyOperation => ({
    op: 'remove',
    path: `/${id}/pf_floor_plan`,
    value: String(floorPlanId),
  }),
  /** Recomputes the property's quality score. */
  refreshQualityScore: (id: PropertyId): PropertyOperation => ({
    op: 'refresh',
    path: `/${id}/quality_score`,
    value: null,
  }),
  /** Attaches or detaches the watermark on every image of the property, or on one image. */
  watermark: (id: PropertyId, action: 'attach' | 'detach', imageId?: number): PropertyOperation =>
    imageId === undefined
      ? { op: 'watermark', path: `/${id}/images`, value: action }
      : { op: 'watermark', path: `/${id}/images/${imageId}`, value: action },
  /** Duplicates the property `count` times. */
  duplicate: (id: PropertyId, value: DuplicateValue): PropertyOperation => ({
    op: 'duplicate',
    path: `/${id}/duplication`,
    value,
  }),
  /** Sets the listing level product. */
  listingLevel: (value: ListingLevelValue): PropertyOperation => ({ op: 'replace', path: '/listing_level', value }),
  /** Sets the renewal of a product. */
  renewal: (value: RenewalValue): PropertyOperation => ({ op: 'replace', path: '/renewal', value }),
  /** Submits documents to verify the property (`form_a`, `title_deed`, `passport_copy` are required). */
  submitVerification: (id: PropertyId, value: VerificationValue): PropertyOperation => ({
    op: 'submit',
    path: `/${id}/verification`,
    value,
  }),
} as const;

// ---------------------------------------------------------------- validation

const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date YYYY-MM-DD');
const assigneeSchema = z.union([IdSchema, z.string().regex(/^[1-9]\d*$/)]).nullable();
const reraSchema = z
  .strictObject({
    type: z.enum(['permit', 'listing']),
    number: z.union([z.string().min(1), z.number().int()]),
    issue_date: dateText.optional(),
    expiry_date: dateText.optional(),
    validation: z.enum(['manual', 'automatic']),
  })
  .refine((v) => v.validation !== 'manual' || v.issue_date !== undefined, {
    message: 'issue_date is required when validation is manual',
    path: ['issue_date'],
  })
  .nullable();
const documentSchema = z.union([
  z.strictObject({ id: IdSchema, tag: z.string().optional() }),
  z.strictObject({ token: z.string().min(1), title: z.string().trim().min(1), tag: z.string().optional() }),
]);
const verificationSchema = z.strictObject({
  document_add: z.boolean().optional(),
  documents: z.strictObject({
    form_a: documentSchema,
    title_deed: documentSchema,
    passport_copy: documentSchema,
    additional_document: z.array(documentSchema).optional(),
  }),
});

/** What an operation does, as {@link describeOperation} finds it from its path. */
export type OperationKind =
  | 'state'
  | 'publication'
  | 'assignment'
  | 'rera'
  | 'floor_plan'
  | 'pf_floor_plan'
  | 'quality_score'
  | 'watermark'
  | 'duplicate'
  | 'listing_level'
  | 'renewal'
  | 'verification';

interface KindRule {
  kind: OperationKind;
  path: RegExp;
  ops: readonly string[];
  value: z.ZodType;
  /** Repeating it leaves the same state, so a retry is safe. */
  idempotent: boolean;
}

const ID = '([1-9]\\d*)';
const RULES: readonly KindRule[] = [
  {
    kind: 'state',
    path: new RegExp(`^/${ID}/state$`),
    ops: ['replace'],
    value: z.strictObject({ state: z.enum(['approved', 'refused', 'archived']), reason: z.string().optional() }),
    idempotent: true,
  },
  {
    kind: 'publication',
    path: new RegExp(`^/(${ID.slice(1, -1)}|\\*)/publication$`),
    ops: ['add', 'remove'],
    value: PortalSchema,
    idempotent: true,
  },
  {
    kind: 'assignment',
    path: new RegExp(`^/${ID}/assignment/(user|landlord|lead)$`),
    ops: ['replace'],
    value: assigneeSchema,
    idempotent: true,
  },
  { kind: 'rera', path: new RegExp(`^/${ID}/assignment/rera$`), ops: ['replace'], value: reraSchema, idempotent: true },
  {
    kind: 'floor_plan',
    path: new RegExp(`^/${ID}/assignment/floor_plan$`),
    ops: ['add', 'remove'],
    value: z.strictObject({
      id: IdSchema,
      type: z.enum(['my_floor_plan', 'pf_floor_plan']),
      display_on: z.array(z.enum(['pdf', 'public-page'])).optional(),
    }),
    idempotent: true,
  },
  {
    kind: 'pf_floor_plan',
    path: new RegExp(`^/${ID}/pf_floor_plan$`),
    ops: ['add', 'remove'],
    value: z.string().regex(/^\d+$/, 'expected a floor plan id'),
    idempotent: true,
  },
  {
    kind: 'quality_score',
    path: new RegExp(`^/${ID}/quality_score$`),
    ops: ['refresh'],
    value: z.null(),
    idempotent: true,
  },
  {
    kind: 'watermark',
    path: new RegExp(`^/${ID}/images(?:/${ID})?$`),
    ops: ['watermark'],
    value: z.enum(['attach', 'detach']),
    idempotent: true,
  },
  {
    kind: 'duplicate',
    path: new RegExp(`^/${ID}/duplication$`),
    ops: ['duplicate'],
    value: z.strictObject({
      count: z.number().int().min(1),
      increment: z.array(z.enum(['unit_number', 'floor'])).optional(),
      excludes: z.array(z.string().min(1)).optional(),
    }),
    idempotent: false,
  },
  {
    kind: 'listing_level',
    path: /^\/listing_level$/,
    ops: ['replace'],
    value: z.strictObject({
      listing_level: ListingLevelSchema,
      product_id: z.string().min(1),
      renewal: z.union([z.literal(0), z.literal(1)]).optional(),
    }),
    idempotent: true,
  },
  {
    kind: 'renewal',
    path: /^\/renewal$/,
    ops: ['replace'],
    value: z.strictObject({ product_id: z.string().min(1), renewal: z.union([z.literal(0), z.literal(1)]) }),
    idempotent: true,
  },
  {
    kind: 'verification',
    path: new RegExp(`^/${ID}/verification$`),
    ops: ['submit'],
    value: verificationSchema,
    idempotent: false,
  },
];

/** What {@link describeOperation} reads from an operation's path. */
export interface OperationTarget {
  /** The action. */
  kind: OperationKind;
  /** The property, or `'*'` for every property, or `undefined` for account-wide actions. */
  id: number | '*' | undefined;
  /** The assignment field (`user`, `landlord`, `lead`) or the image id of a watermark. */
  detail: string | undefined;
  /** Whether repeating the operation is harmless. */
  idempotent: boolean;
}

/** Recognises an operation by its path; `undefined` when no documented action matches. */
export function describeOperation(operation: { path?: unknown }): OperationTarget | undefined {
  if (typeof operation.path !== 'string') return undefined;
  for (const rule of RULES) {
    const match = rule.path.exec(operation.path);
    if (!match) continue;
    const raw = match[1];
    const id = raw === undefined ? undefined : raw === '*' ? '*' : Number(raw);
    return { kind: rule.kind, id, detail: match[2], idempotent: rule.idempotent };
  }
  return undefined;
}

/** Every problem of one operation, with paths relative to it (`value.reason`, `path`). */
export function operationIssues(operation: unknown): InputIssue[] {
  if (!operation || typeof operation !== 'object') {
    return [{ path: '', message: 'expected an operation { op, path, value }', code: 'invalid_type' }];
  }
  const candidate = operation as { op?: unknown; path?: unknown; value?: unknown };
  const extra = Object.keys(candidate).filter((k) => k !== 'op' && k !== 'path' && k !== 'value');
  const issues: InputIssue[] = extra.map((k) => ({ path: k, message: 'unknown key', code: 'unrecognized_keys' }));
  const rule =
    typeof candidate.path === 'string' ? RULES.find((r) => r.path.test(candidate.path as string)) : undefined;
  if (!rule) {
    issues.push({
      path: 'path',
      message: `${JSON.stringify(candidate.path)} is not a documented action path (e.g. /12/state with a positive integer id)`,
      code: 'invalid_path',
    });
    return issues;
  }
  if (typeof candidate.op !== 'string' || !rule.ops.includes(candidate.op)) {
    issues.push({
      path: 'op',
      message: `${rule.kind} takes op ${rule.ops.map((o) => `"${o}"`).join(' or ')} (got ${JSON.stringify(candidate.op)})`,
      code: 'invalid_value',
    });
  }
  if (!('value' in candidate)) {
    issues.push({
      path: 'value',
      message: 'value is required (null where the API expects null)',
      code: 'invalid_type',
    });
    return issues;
  }
  const parsed = rule.value.safeParse(candidate.value);
  if (!parsed.success) {
    for (const issue of toInputIssues(parsed.error.issues)) {
      issues.push({ ...issue, path: issue.path ? `value.${issue.path}` : 'value' });
    }
  }
  return issues;
}
