import { InputValidationError, ServerError, ValidationError } from '@sync/core';
import { ops, type PropertyOperation } from '@sync/pfcrm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorFields, type Harness, rawRequest, startHarness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.portal.reset());
afterAll(() => h.close());

describe('bulk operation builders', () => {
  it('build the documented operations', () => {
    expect([
      ops.approve(1),
      ops.archive(2),
      ops.refuse(5, 'I hate this part'),
      ops.publish('*', 'propertyfinder'),
      ops.unpublish(4, 'bayut'),
      ops.assignUser(1, 2),
      ops.assignLandlord(1, 3),
      ops.assignLead(2, 1),
      ops.assignRera(2, null),
      ops.assignRera(3, { validation: 'automatic', number: 1234, type: 'permit' }),
      ops.refreshQualityScore(3),
      ops.duplicate(3, { count: 1, increment: ['unit_number'], excludes: ['documents'] }),
      ops.addFloorPlan(1, { id: 1234, type: 'my_floor_plan', display_on: ['public-page', 'pdf'] }),
      ops.removeFloorPlan(3, { id: 4567, type: 'pf_floor_plan' }),
      ops.addPfFloorPlan(3, 88),
      ops.listingLevel({ listing_level: 'featured', product_id: 'ca731c8c', renewal: 1 }),
      ops.renewal({ product_id: 'ca731c8c', renewal: 1 }),
      ops.watermark(1, 'detach'),
      ops.watermark(1, 'attach', 2),
    ]).toEqual([
      { op: 'replace', path: '/1/state', value: { state: 'approved' } },
      { op: 'replace', path: '/2/state', value: { state: 'archived' } },
      { op: 'replace', path: '/5/state', value: { state: 'refused', reason: 'I hate this part' } },
      { op: 'add', path: '/*/publication', value: 'propertyfinder' },
      { op: 'remove', path: '/4/publication', value: 'bayut' },
      { op: 'replace', path: '/1/assignment/user', value: 2 },
      { op: 'replace', path: '/1/assignment/landlord', value: 3 },
      { op: 'replace', path: '/2/assignment/lead', value: 1 },
      { op: 'replace', path: '/2/assignment/rera', value: null },
      { op: 'replace', path: '/3/assignment/rera', value: { validation: 'automatic', number: 1234, type: 'permit' } },
      { op: 'refresh', path: '/3/quality_score', value: null },
      {
        op: 'duplicate',
        path: '/3/duplication',
        value: { count: 1, increment: ['unit_number'], excludes: ['documents'] },
      },
      {
        op: 'add',
        path: '/1/assignment/floor_plan',
        value: { id: 1234, type: 'my_floor_plan', display_on: ['public-page', 'pdf'] },
      },
      { op: 'remove', path: '/3/assignment/floor_plan', value: { id: 4567, type: 'pf_floor_plan' } },
      { op: 'add', path: '/3/pf_floor_plan', value: '88' },
      {
        op: 'replace',
        path: '/listing_level',
        value: { listing_level: 'featured', product_id: 'ca731c8c', renewal: 1 },
      },
      { op: 'replace', path: '/renewal', value: { product_id: 'ca731c8c', renewal: 1 } },
      { op: 'watermark', path: '/1/images', value: 'detach' },
      { op: 'watermark', path: '/1/images/2', value: 'attach' },
    ]);
  });
});

describe('properties.bulk', () => {
  it('applies every kind of action to the account', async () => {
    for (let i = 0; i < 3; i++) h.portal.addProperty({ unit_number: '4A1', floor_number: 2 });
    const report = await h.client.properties.bulk([
      ops.approve(1),
      ops.refuse(2, 'blurry photos'),
      ops.publish('*', 'dubizzle'),
      ops.unpublish(3, 'dubizzle'),
      ops.assignUser(1, 2),
      ops.assignLandlord(1, 2),
      ops.assignRera(1, { type: 'permit', number: '77', validation: 'manual', issue_date: '2024-01-01' }),
      ops.addFloorPlan(1, { id: 5, type: 'my_floor_plan', display_on: ['pdf'] }),
      ops.refreshQualityScore(1),
      ops.duplicate(3, { count: 2, increment: ['unit_number', 'floor'] }),
      ops.listingLevel({ listing_level: 'premium', product_id: 'p-1' }),
    ]);
    expect(report).toMatchObject({ total: 11, succeeded: 11, failed: 0, skipped: 0 });
    const p = (id: number) => h.portal.properties.get(id);
    expect(p(1)).toMatchObject({ state: 'approved', user: { id: 2 }, landlord: { id: 2 }, quality_score: 50 });
    expect(p(1)?.licenses).toMatchObject({ rera: { number: '77' } });
    expect(p(1)?.floor_plans).toEqual([{ id: 5, type: 'my_floor_plan', display_on: ['pdf'] }]);
    expect(p(2)).toMatchObject({ state: 'refused', state_reason: 'blurry photos' });
    expect(p(1)?.publication).toEqual(['dubizzle']);
    expect(p(3)?.publication).toEqual([]);
    expect(p(3)?.duplicated_list).toEqual(['4', '5']);
    expect(p(5)).toMatchObject({ unit_number: '4A3', floor_number: 4, state: 'draft' });
    expect(h.portal.account.listingLevel).toEqual({ listing_level: 'premium', product_id: 'p-1' });
  });

  it('sends a verification through PATCH /properties/{id}', async () => {
    h.portal.addProperty();
    const report = await h.client.properties.bulk([
      ops.approve(1),
      ops.submitVerification(1, {
        document_add: true,
        documents: {
          form_a: { id: 1 },
          title_deed: { id: 23 },
          passport_copy: { token: 'azerty-blanchon', title: 'Passport copy' },
          additional_document: [{ id: 18 }],
        },
      }),
    ]);
    expect(report.succeeded).toBe(2);
    expect(h.portal.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /properties', 'PATCH /properties/1']);
    expect(h.portal.properties.get(1)?.verification).toHaveLength(1);
  });

  it('checks every operation before sending anything, naming each fault', async () => {
    const bad = [
      ops.approve(1),
      { op: 'replace', path: '/1/state', value: { state: 'live' } },
      { op: 'add', path: '/abc/publication', value: 'bayut' },
      ops.submitVerification(1, { documents: { form_a: { id: 1 }, title_deed: { id: 2 } } } as never),
      ops.assignRera(1, { type: 'permit', number: 1, validation: 'manual' }),
      ops.duplicate(1, { count: 0 }),
      { op: 'remove', path: '/1/quality_score', value: null },
    ] as PropertyOperation[];
    const error = await h.client.properties.bulk(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual([
      'operations.1.value.state',
      'operations.2.path',
      'operations.3.value.documents.passport_copy',
      'operations.4.value.issue_date',
      'operations.5.value.count',
      'operations.6.op',
    ]);
    expect(h.portal.requests).toHaveLength(0);
  });

  it('chunks a large list and reports one outcome per operation, in order', async () => {
    h.portal.seedProperties(250);
    const operations = [...h.portal.properties.keys()].map((id) => ops.archive(id));
    const progress: number[] = [];
    const report = await h.client.properties.bulk(operations, {
      chunkSize: 100,
      onProgress: (p) => progress.push(p.done),
    });
    expect(report.succeeded).toBe(250);
    expect(report.items.map((i) => i.index)).toEqual(operations.map((_, i) => i));
    expect(progress).toEqual([100, 200, 250]);
    expect(h.portal.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
    expect([...h.portal.properties.values()].every((p) => p.state === 'archived')).toBe(true);
  });

  it('reports the operations of a failed chunk as failed and carries on', async () => {
    h.portal.seedProperties(4);
    h.portal.failNext(1, 400);
    const report = await h.client.properties.bulk(
      [1, 2, 3, 4].map((id) => ops.approve(id)),
      { chunkSize: 2 },
    );
    expect(report.items.map((i) => i.status)).toEqual(['failed', 'failed', 'succeeded', 'succeeded']);
    expect(h.portal.properties.get(3)?.state).toBe('approved');
  });

  it('retries a chunk of harmless operations after a 503, but never one that duplicates', async () => {
    h.portal.addProperty();
    h.portal.failNext(1, 503);
    expect((await h.client.properties.bulk([ops.approve(1)])).succeeded).toBe(1);
    h.portal.failNext(1, 503);
    const report = await h.client.properties.bulk([ops.duplicate(1, { count: 1 })]);
    const outcome = report.items[0];
    expect(outcome?.status).toBe('failed');
    expect(outcome?.status === 'failed' && outcome.error).toBeInstanceOf(ServerError);
    expect(h.portal.properties.size).toBe(1);
  });
});

describe('properties.bulk: a refused chunk names its culprits', () => {
  const failure = (outcome: unknown) => (outcome as { status: string; error?: ValidationError }).error;

  it('the mock answers 422 naming each refused operation by position, and applies none', async () => {
    h.portal.seedProperties(2);
    const raw = await rawRequest(h, 'PATCH', '/properties', {
      operations: [ops.approve(1), ops.approve(999999), { op: 'replace', path: '/2/state', value: { state: 'live' } }],
    });
    expect(raw.status).toBe(422);
    expect(raw.body).toEqual({
      code: 422,
      message: 'invalid operations',
      errors: [
        { field: 'operations.1.path', message: 'property 999999 not found' },
        { field: 'operations.2.value.state', message: expect.any(String) },
      ],
    });
    expect(errorFields(raw.body)).toHaveLength(2);
    expect(h.portal.properties.get(1)?.state).not.toBe('approved');
  });

  it('fails only the named operation, with its own reason, and applies the others', async () => {
    h.portal.seedProperties(3);
    const report = await h.client.properties.bulk([ops.approve(1), ops.approve(999999), ops.approve(3)]);
    expect(report.items.map((i) => i.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    const error = failure(report.items[1]);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.itemId).toBe('999999');
    expect(error?.serverMessage).toBe('path: property 999999 not found');
    expect(error?.message).toMatch(/properties\.bulk \[999999\].*property 999999 not found/);
    expect(errorFields(error?.body)).toEqual(['operations.1.path']);
    expect(h.portal.properties.get(1)?.state).toBe('approved');
    expect(h.portal.properties.get(3)?.state).toBe('approved');
    expect(h.portal.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });

  it('gives the culprits of each chunk their own reasons', async () => {
    h.portal.seedProperties(2);
    const report = await h.client.properties.bulk(
      [ops.approve(1), ops.approve(998), ops.archive(2), ops.approve(999)],
      { chunkSize: 2 },
    );
    expect(report.items.map((i) => i.status)).toEqual(['succeeded', 'failed', 'succeeded', 'failed']);
    expect(failure(report.items[1])?.serverMessage).toMatch(/property 998 not found/);
    expect(failure(report.items[3])?.serverMessage).toMatch(/property 999 not found/);
    expect(h.portal.properties.get(2)?.state).toBe('archived');
  });

  it('reports the rest of the chunk as not applied when resending it would not be harmless', async () => {
    h.portal.seedProperties(1);
    const report = await h.client.properties.bulk([ops.duplicate(1, { count: 1 }), ops.approve(999999)]);
    const [duplicate, refused] = report.items;
    expect(refused?.status).toBe('failed');
    expect(duplicate).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^not applied: .*operation 1/),
    });
    expect(h.portal.properties.size).toBe(1);
    expect(h.portal.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('keeps one shared reason when the answer names no operation', async () => {
    h.portal.seedProperties(2);
    h.portal.failNext(1, 422, { code: 422, message: 'the account is suspended' });
    const report = await h.client.properties.bulk([ops.approve(1), ops.approve(2)]);
    expect(report.items.map((i) => i.status)).toEqual(['failed', 'failed']);
    expect(failure(report.items[0])).toBe(failure(report.items[1]));
    expect(failure(report.items[0])?.serverMessage).toBe('the account is suspended');
  });
});

describe('properties.deleteMany: the delete-all guard', () => {
  it('refuses an empty list without sending any request', async () => {
    h.portal.seedProperties(3);
    const error = await h.client.properties.deleteMany([]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues[0]).toMatchObject({ path: 'ids', code: 'delete_all_refused' });
    expect(h.portal.requests).toHaveLength(0);
    expect(h.portal.properties.size).toBe(3);
  });

  it('shows why: the API itself deletes everything for an empty list', async () => {
    h.portal.seedProperties(3);
    const report = await h.client.properties.deleteMany([], { all: true });
    expect(report).toMatchObject({ all: true, total: 0 });
    expect(h.portal.properties.size).toBe(0);
  });

  it('deletes exactly the listed ids, in chunks', async () => {
    h.portal.seedProperties(5);
    const report = await h.client.properties.deleteMany([1, 3, 5], { chunkSize: 2 });
    expect(report).toMatchObject({ all: false, total: 3, succeeded: 3 });
    expect([...h.portal.properties.keys()]).toEqual([2, 4]);
    expect(h.portal.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  it('refuses an empty list even when Object.prototype.all is true: only an own all counts', async () => {
    h.portal.seedProperties(3);
    const proto = Object.prototype as { all?: unknown };
    proto.all = true;
    let error: unknown;
    try {
      error = await h.client.properties.deleteMany([]).catch((e: unknown) => e);
    } finally {
      delete proto.all;
    }
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues[0]).toMatchObject({ path: 'ids', code: 'delete_all_refused' });
    expect(h.portal.requests).toHaveLength(0);
    expect(h.portal.properties.size).toBe(3);
  });

  it('refuses ids together with all: true, and ids that are not positive integers', async () => {
    await expect(h.client.properties.deleteMany([1], { all: true })).rejects.toBeInstanceOf(InputValidationError);
    await expect(h.client.properties.deleteMany([0])).rejects.toBeInstanceOf(InputValidationError);
    expect(h.portal.requests).toHaveLength(0);
  });
});
