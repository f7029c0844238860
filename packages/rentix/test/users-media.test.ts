import { InputValidationError } from '@sync/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listing, type MockSetup, startMock } from './helpers.js';

let mock: MockSetup;
beforeAll(async () => {
  mock = await startMock({ jobDurationMs: Number.POSITIVE_INFINITY });
});
beforeEach(() => mock.portal.reset());
afterAll(() => mock.close());

describe('agents created from the CRM', () => {
  it('are created with PUT /users, the phone in international format and every contact channel on', async () => {
    const client = mock.client();
    const created = await client.users.create({ externalId: 'agent-7', name: 'Ana Rusu', phone: '069 123 456' });
    expect(created.created).toBe(true);
    const request = mock.portal.requests.at(-1);
    expect(request).toMatchObject({ method: 'PUT', path: '/users' });
    const user = await client.users.getByExternalId('agent-7');
    expect(user.phone).toBe('+37369123456');
    expect(user.settings).toMatchObject({
      contact_phone: true,
      contact_whatsapp: true,
      contact_viber: true,
      contact_telegram: true,
    });
    const linking = await client.users.linkByPhone([{ id: 'agent-7', phone: '+373 69 123 456' }]);
    expect(linking.alreadyLinked).toEqual([{ crmId: 'agent-7', userId: user.id }]);
  });

  it('refuse an agent without a name or phone before sending', async () => {
    const client = mock.client();
    const error = await client.users.create({ externalId: 'agent-8', name: ' ', phone: 'n/a' }).catch((e) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['name', 'phone']);
    expect(mock.portal.requests).toHaveLength(0);
  });

  it('read avatar variants, description, socials and settings typed', async () => {
    const client = mock.client();
    await client.users.create({ externalId: 'agent-9', name: 'Ion', phone: '+37379000111' });
    await client.users.upsert({
      externalId: 'agent-9',
      avatar: { url: 'https://img.example.com/ion.jpg' },
      description: { ro: 'Agent imobiliar', en: 'Real-estate agent' },
      instagram: 'ion.realty',
      settings: { contact_viber: false },
    });
    const user = await client.users.getByExternalId('agent-9');
    expect(user.avatar?.variants?.map((v) => v.variantSize)).toEqual(['128', '512', '1024']);
    expect(user.description).toEqual({ ro: 'Agent imobiliar', en: 'Real-estate agent' });
    expect(user.instagram).toBe('ion.realty');
    expect(user.settings).toMatchObject({ contact_viber: false, contact_phone: true });
  });
});

describe('listings with uploaded files', () => {
  it('take fileIds of uploaded media, counted for publishing', async () => {
    const client = mock.client();
    const ids: string[] = [];
    for (const k of [1, 2, 3]) {
      const upload = await client.media.uploadFromUrl({
        url: `https://img.example.com/${k}.jpg`,
        externalId: `m-${k}`,
      });
      ids.push(upload.mediaId);
    }
    const result = await client.listings.upsert(listing(1, { files: undefined, fileIds: ids }));
    expect(result.status).toBe('pending_active');
    expect(mock.portal.listingByExternalId('crm-1')?.fileIds).toEqual(ids);
    const tooFew = await client.listings
      .upsert(listing(2, { files: undefined, fileIds: ids.slice(0, 2) }))
      .catch((e) => e);
    expect(tooFew).toBeInstanceOf(InputValidationError);
    expect(tooFew.issues[0].path).toBe('fileIds');
  });
});
