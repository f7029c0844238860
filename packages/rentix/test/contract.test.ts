import { AuthenticationError, NotFoundError, PermissionError, ValidationError } from '@sync/core';
import { JobFailedError, ops, userOps } from '@sync/rentix';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listing, type MockSetup, raw, startMock } from './helpers.js';

let mock: MockSetup;
beforeAll(async () => {
  mock = await startMock({ jobDurationMs: Number.POSITIVE_INFINITY });
});
beforeEach(() => mock.portal.reset());
afterAll(() => mock.close());

describe('agency and reference', () => {
  it('reads the agency with its monthly listing limit', async () => {
    const agency = await mock.client().agency.get();
    expect(agency).toMatchObject({ name: 'Mock Realty', status: 'active', isCrmEnabled: true });
    expect(agency.limits?.monthlyListings).toEqual({ used: 0, limit: 50_000 });
  });

  it('reads the base schema and the currencies', async () => {
    const client = mock.client();
    const schema = await client.reference.schema();
    expect(schema.announcementStatus).toContain('pending_active');
    const currencies = await client.reference.currencies();
    expect(currencies.baseCurrency).toBe('EUR');
    expect(currencies.currencies.map((c) => c.code)).toEqual(['EUR', 'USD', 'MDL']);
  });
});

describe('authentication', () => {
  it('sends the key as Authorization: ApiKey by default, or as X-API-Key when asked', async () => {
    const seen: Array<Record<string, string>> = [];
    const client = mock.client();
    client.http.on('request', (e) => seen.push(e.headers));
    await client.agency.get();
    const other = mock.client({ authHeader: 'X-API-Key' });
    other.http.on('request', (e) => seen.push(e.headers));
    await other.agency.get();
    expect(Object.keys(seen[0] ?? {})).toContain('authorization');
    expect(Object.keys(seen[0] ?? {})).not.toContain('x-api-key');
    expect(Object.keys(seen[1] ?? {})).toContain('x-api-key');
    expect(Object.keys(seen[1] ?? {})).not.toContain('authorization');
  });

  it('passes 401 and 403 messages through verbatim', async () => {
    const bad = mock.client({ apiKey: 'wrong-key' });
    const invalid = await bad.agency.get().catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AuthenticationError);
    expect((invalid as AuthenticationError).serverMessage).toBe('Invalid API key');
    expect((invalid as Error).message).not.toContain('wrong-key');

    mock.portal.agency.status = 'suspended';
    const suspended = await mock
      .client()
      .agency.get()
      .catch((e: unknown) => e);
    expect(suspended).toBeInstanceOf(PermissionError);
    expect((suspended as PermissionError).serverMessage).toBe('Agency is suspended');

    mock.portal.agency.status = 'active';
    mock.portal.agency.isCrmEnabled = false;
    const disabled = await mock
      .client()
      .agency.get()
      .catch((e: unknown) => e);
    expect((disabled as PermissionError).serverMessage).toBe('CRM is not enabled for this agency');
  });

  it('the mock refuses both headers at once, and a missing key', async () => {
    const both = await raw(mock, '/agency', { headers: { authorization: 'ApiKey rentix-test-key', 'x-api-key': 'x' } });
    expect(both.status).toBe(400);
    expect(await both.json()).toEqual({
      statusCode: 400,
      message: 'Multiple authentication methods provided',
      error: 'Bad Request',
    });
    const none = await raw(mock, '/agency', { key: null });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toBe('API key is required');
  });
});

describe('listings', () => {
  it('creates with PUT, then updates partially keeping omitted fields', async () => {
    const client = mock.client();
    const created = await client.listings.upsert(listing(1, { announcementStatus: 'draft' }));
    expect(created).toMatchObject({ externalId: 'crm-1', status: 'draft', created: true, jobId: null });
    const updated = await client.listings.upsert({ externalId: 'crm-1', announcementValue: 500 });
    expect(updated).toMatchObject({ id: created.id, updated: true });
    const stored = await client.listings.getByExternalId('crm-1');
    expect(stored.formData.announcementValue).toBe(500);
    expect(stored.formData.announcementDescription).toBe(listing(1).announcementDescription);
    expect(stored.files).toHaveLength(3);
    expect(typeof stored.files?.[0]?.size).toBe('string');
    expect(await client.listings.get(created.id)).toEqual(stored);
  });

  it('upserts by id as well as by external id', async () => {
    const client = mock.client();
    const { id } = await client.listings.upsert(listing(2, { announcementStatus: 'draft' }));
    await client.listings.upsert({ id, propertyArea: 80 });
    expect(mock.portal.listings.get(id)?.formData.propertyArea).toBe(80);
  });

  it('publishing goes pending_active, then active when the job completes', async () => {
    const client = mock.client();
    const result = await client.listings.upsert(listing(3));
    expect(result.status).toBe('pending_active');
    expect(result.jobId).toEqual(expect.any(String));
    const jobId = String(result.jobId);
    expect((await client.jobs.get(jobId)).status).toBe('pending');
    mock.portal.completeJob(jobId);
    const job = await client.jobs.wait(jobId, { intervalMs: 5 });
    expect(job.status).toBe('completed');
    expect((await client.listings.get(result.id)).formData.announcementStatus).toBe('active');
  });

  it('jobs.wait polls until a job that progresses on the clock completes', async () => {
    mock.portal.jobDurationMs = 60;
    const client = mock.client();
    const { jobId } = await client.listings.upsert(listing(4));
    const job = await client.jobs.wait(String(jobId), { intervalMs: 10, timeoutMs: 5_000 });
    expect(job.status).toBe('completed');
    expect(mock.portal.listingByExternalId('crm-4')?.formData.announcementStatus).toBe('active');
  });

  it('jobs.wait throws JobFailedError with the public message of a failed job', async () => {
    const client = mock.client();
    const { jobId } = await client.listings.upsert(listing(5));
    mock.portal.failJob(String(jobId), 'Photo could not be downloaded');
    const error = await client.jobs.wait(String(jobId), { intervalMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as Error).message).toContain('Photo could not be downloaded');
  });

  it('returns the portal validation messages when publishing lacks photos on the portal', async () => {
    const client = mock.client();
    await client.listings.upsert(listing(6, { files: [], announcementStatus: 'draft' }));
    const error = await client.listings
      .upsert({ externalId: 'crm-6', announcementStatus: 'active' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).serverMessage).toMatch(/At least 3 photos are required/);
    expect((error as ValidationError).itemId).toBe('crm-6');
  });

  it('lists listings as an async iterable', async () => {
    const client = mock.client();
    await client.listings.upsertMany([1, 2, 3].map((n) => listing(n, { announcementStatus: 'draft' })));
    const seen: string[] = [];
    for await (const l of client.listings.iterate({ pageSize: 100 })) seen.push(String(l.externalId));
    expect(seen.sort()).toEqual(['crm-1', 'crm-2', 'crm-3']);
  });

  it('links and unlinks an external id', async () => {
    const client = mock.client();
    const { id } = await client.listings.upsert(listing(7, { announcementStatus: 'draft' }));
    expect(await client.listings.unlink(id)).toMatchObject({ id, externalId: 'crm-7', unlinked: true });
    expect(mock.portal.listings.get(id)?.externalId).toBeNull();
    expect(await client.listings.link(id, 'crm-77')).toMatchObject({ id, externalId: 'crm-77', linked: true });
    expect((await client.listings.getByExternalId('crm-77')).id).toBe(id);
  });

  it('throws NotFoundError for an unknown listing', async () => {
    const error = await mock
      .client()
      .listings.getByExternalId('nope')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).serverMessage).toBe('Listing not found');
  });

  it('bulk runs every operation type and reports each in input order', async () => {
    const client = mock.client();
    const { id } = await client.listings.upsert(listing('keep', { announcementStatus: 'draft' }));
    const report = await client.listings.bulk([
      ops.upsert(listing(10)),
      ops.validate(listing(11)),
      ops.unlink({ id }),
      ops.link(id, 'crm-linked'),
      ops.upsert({ externalId: 'crm-10', announcementValue: 999 }),
      ops.delete({ externalId: 'crm-10' }),
    ]);
    expect(report.results.map((r) => [r.operation.op, r.status])).toEqual([
      ['upsert', 'succeeded'],
      ['validate', 'succeeded'],
      ['unlink', 'succeeded'],
      ['link', 'succeeded'],
      ['upsert', 'succeeded'],
      ['delete', 'succeeded'],
    ]);
    expect(report.results[0]?.id).toEqual(expect.any(String));
    expect(mock.portal.listingByExternalId('crm-11')).toBeUndefined();
    expect(mock.portal.listingByExternalId('crm-10')).toBeUndefined();
    expect(mock.portal.listings.get(id)?.externalId).toBe('crm-linked');
  });

  it('refuses new listings beyond the agency monthly limit', async () => {
    mock.portal.agency.limits.monthlyListings.limit = 2;
    const report = await mock.client().listings.upsertMany([1, 2, 3].map((n) => listing(n)));
    expect(report.results.map((r) => r.success)).toEqual([true, true, false]);
    expect(report.results[2]?.message).toBe('Monthly listing limit reached (2)');
    expect(mock.portal.agency.limits.monthlyListings.used).toBe(2);
  });
});

describe('users', () => {
  it('lists, reads, upserts, links and unlinks users', async () => {
    const client = mock.client();
    const ana = mock.portal.addUser({ name: 'Ana', phone: '+373 69 123 456' });
    expect((await client.users.list()).items.map((u) => u.name)).toEqual(['Ana']);
    expect(await client.users.get(ana.id)).toMatchObject({ id: ana.id, externalId: null });
    await client.users.link(ana.id, 'agent-1');
    expect((await client.users.getByExternalId('agent-1')).id).toBe(ana.id);
    expect(await client.users.unlink(ana.id)).toMatchObject({ unlinked: true, externalId: 'agent-1' });
    const created = await client.users.upsert({ externalId: 'agent-2', name: 'Ion', phone: '+37379000111' });
    expect(created.created).toBe(true);
    const updated = await client.users.upsert({ externalId: 'agent-2', instagram: 'ion.realty' });
    expect(updated).toMatchObject({ id: created.id, updated: true });
    expect(mock.portal.users.get(created.id)?.instagram).toBe('ion.realty');
  });

  it('links users in bulk', async () => {
    const a = mock.portal.addUser({ name: 'A', phone: '1' });
    const b = mock.portal.addUser({ name: 'B', phone: '2' });
    const report = await mock
      .client()
      .users.bulk([userOps.link(a.id, 'x'), userOps.link('missing', 'y'), userOps.link(b.id, 'z')]);
    expect(report.results.map((r) => r.success)).toEqual([true, false, true]);
    expect(report.results[1]?.message).toBe('User not found');
    expect(mock.portal.users.get(b.id)?.externalId).toBe('z');
  });

  it('links CRM agents to Rentix users by normalised phone number', async () => {
    const ana = mock.portal.addUser({ name: 'Ana', phone: '+373 69 123 456' });
    const ion = mock.portal.addUser({ name: 'Ion', phone: '079-000-111' });
    const taken = mock.portal.addUser({ name: 'Old', phone: '+37360000000', externalId: 'someone-else' });
    const result = await mock.client().users.linkByPhone([
      { id: 'crm-ana', phone: '069123456' },
      { id: 'crm-ion', phone: '+373 79 000 111' },
      { id: 'crm-old', phone: '060000000' },
      { id: 'crm-new', phone: '+373 68 999 999' },
    ]);
    expect(result.linked).toEqual([
      { crmId: 'crm-ana', userId: ana.id },
      { crmId: 'crm-ion', userId: ion.id },
    ]);
    expect(result.unmatched).toEqual(['crm-new']);
    expect(result.conflicts.map((c) => c.crmId)).toEqual(['crm-old']);
    expect(mock.portal.users.get(taken.id)?.externalId).toBe('someone-else');
    expect(mock.portal.users.get(ana.id)?.externalId).toBe('crm-ana');
  });
});

describe('media', () => {
  it('uploads from a URL, reads by both ids, and deletes from every listing', async () => {
    const client = mock.client();
    const upload = await client.media.uploadFromUrl({ url: 'https://img.example.com/a.jpg', externalId: 'photo-a' });
    expect(upload).toMatchObject({ status: 'pending', externalId: 'photo-a', jobId: expect.any(String) });
    expect((await client.media.get(upload.mediaId)).optimization).toBe('pending');
    mock.portal.completeJob(String(upload.jobId));
    const media = await client.media.getByExternalId('photo-a');
    expect(media.optimization).toBe('completed');
    expect(media.variants?.map((v) => v.variantSize)).toEqual(['128', '512', '1024']);

    // A listing reuses the uploaded file through the same externalFileId.
    const files = [
      { url: 'https://img.example.com/a.jpg', externalFileId: 'photo-a' },
      { url: 'https://img.example.com/b.jpg', externalFileId: 'photo-b' },
      { url: 'https://img.example.com/c.jpg', externalFileId: 'photo-c' },
    ];
    await client.listings.upsert(listing(20, { files }));
    const stored = mock.portal.listingByExternalId('crm-20');
    expect(stored?.fileIds[0]).toBe(upload.mediaId);

    expect(await client.media.deleteByExternalId('photo-a')).toEqual({ deleted: true });
    expect(mock.portal.listingByExternalId('crm-20')?.fileIds).toHaveLength(2);
    const b = await client.media.getByExternalId('photo-b');
    expect(await client.media.delete(b.id)).toEqual({ deleted: true });
    await expect(client.media.get(b.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
