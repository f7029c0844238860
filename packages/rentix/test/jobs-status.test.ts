import { JobFailedError, RentixSyncState, STATUS_GUIDANCE, statusGuidance, syncListings } from '@sync/rentix';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crmListing, listing, type MockSetup, startMock } from './helpers.js';

let mock: MockSetup;
beforeAll(async () => {
  mock = await startMock({ jobDurationMs: Number.POSITIVE_INFINITY });
});
beforeEach(() => mock.portal.reset());
afterAll(() => mock.close());

const polls = () => mock.portal.requests.filter((r) => r.path === '/job/status').length;

describe('jobs that fail temporarily', () => {
  it('are reported retryable at once instead of polled until the timeout', async () => {
    const client = mock.client();
    const published = await client.listings.upsert(listing(1));
    const jobId = String(published.jobId);
    mock.portal.failJob(jobId, 'Translation service unavailable', { retryable: true });
    const error = await client.jobs.wait(jobId, { timeoutMs: 60_000, intervalMs: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/failed_retryable .*can be retried.*Translation service unavailable/);
    expect(polls()).toBe(1);
  });

  it('are retried through the operation given, and the new job is waited for', async () => {
    const client = mock.client();
    const first = String((await client.listings.upsert(listing(1))).jobId);
    mock.portal.failJob(first, 'Temporary failure', { retryable: true });
    const jobs: string[] = [];
    const job = await client.jobs.wait(first, {
      intervalMs: 1,
      retry: async () => {
        const again = await client.listings.upsert({ externalId: 'crm-1', announcementStatus: 'active' });
        jobs.push(String(again.jobId));
        mock.portal.completeJob(String(again.jobId));
        return String(again.jobId);
      },
    });
    expect(job.status).toBe('completed');
    expect(jobs).toHaveLength(1);
    expect(mock.portal.listingByExternalId('crm-1')?.formData.announcementStatus).toBe('active');
  });

  it('throws the last retryable failure after maxRetries', async () => {
    const client = mock.client();
    const first = String((await client.listings.upsert(listing(1))).jobId);
    mock.portal.failJob(first, 'Temporary failure', { retryable: true });
    let retries = 0;
    const error = await client.jobs
      .wait(first, {
        intervalMs: 1,
        maxRetries: 2,
        retry: async () => {
          retries++;
          const again = String(
            (await client.listings.upsert({ externalId: 'crm-1', announcementStatus: 'active' })).jobId,
          );
          mock.portal.failJob(again, 'Still failing', { retryable: true });
          return again;
        },
      })
      .catch((e) => e);
    expect(retries).toBe(2);
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toContain('Still failing');
  });
});

describe('what each status asks for', () => {
  it('follows the documented transitions', () => {
    expect(statusGuidance('expired')).toMatchObject({ next: 'renew', canSetTo: ['active'] });
    expect(statusGuidance('completed')).toMatchObject({ next: 'reopen', canSetTo: ['active', 'hidden'] });
    expect(statusGuidance('publish_failed')).toMatchObject({ next: 'fix-and-retry', needsAttention: true });
    expect(statusGuidance('blocked')).toMatchObject({ next: 'contact-support', canSetTo: [], needsAttention: true });
    expect(statusGuidance('hidden')?.next).toBe('restore');
    expect(statusGuidance('archived')).toBeUndefined();
    expect(Object.keys(STATUS_GUIDANCE)).toHaveLength(8);
  });

  it('is on listings read from the portal and on upsert answers', async () => {
    const client = mock.client();
    const published = await client.listings.upsert(listing(1));
    expect(published.next?.next).toBe('wait');
    mock.portal.failJob(String(published.jobId), 'Photo could not be downloaded');
    const read = await client.listings.getByExternalId('crm-1');
    expect(read.next).toMatchObject({ status: 'publish_failed', next: 'fix-and-retry' });
  });

  it('names in the sync report the listings that need someone to act', async () => {
    const client = mock.client();
    const state = new RentixSyncState();
    await syncListings(client, [crmListing(1), crmListing(2)], { state });
    const blocked = mock.portal.listingByExternalId('crm-2');
    if (blocked) blocked.formData.announcementStatus = 'blocked';
    const report = await syncListings(client, [crmListing(1, { price: 500 }), crmListing(2, { price: 600 })], {
      state,
    });
    expect(report.updated).toBe(2);
    expect(report.attention).toEqual([{ key: 'crm-2', status: 'blocked', guidance: STATUS_GUIDANCE.blocked }]);
  });
});
