import { HttpError, InputValidationError } from '@sync/core';
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

describe('signed uploads from the client', () => {
  it('sign a URL, take the bytes there without the API key, and give a media id for fileIds', async () => {
    const client = mock.client();
    const bytes = new Uint8Array(2048).fill(7);
    const photo = await client.media.upload({ fileName: 'a.jpg', contentType: 'image/jpeg', externalId: 'p-1' }, bytes);
    const upload = mock.portal.requests.find((r) => r.path.startsWith('/media/signed-upload/'));
    expect(upload).toBeUndefined(); // the storage PUT is not an API request
    const media = await client.media.get(photo.mediaId);
    expect(media).toMatchObject({
      externalId: 'p-1',
      size: 2048,
      contentType: 'image/jpeg',
      optimization: 'completed',
    });
    const others = await Promise.all(
      [2, 3].map((k) => client.media.upload({ fileName: `${k}.jpg`, contentType: 'image/jpeg' }, bytes)),
    );
    const result = await client.listings.upsert(
      listing(1, { files: undefined, fileIds: [photo.mediaId, ...others.map((o) => o.mediaId)] }),
    );
    expect(result.status).toBe('pending_active');
  });

  it('refuse a used signature, and a file that is not an image before asking', async () => {
    const client = mock.client();
    const signed = await client.media.createSignedUpload({ fileName: 'a.jpg', contentType: 'image/jpeg' });
    const bytes = new Uint8Array([1, 2, 3]);
    await client.media.uploadToSignedUrl(signed, bytes, 'image/jpeg');
    await expect(client.media.uploadToSignedUrl(signed, bytes, 'image/jpeg')).rejects.toBeInstanceOf(HttpError);
    await expect(
      client.media.createSignedUpload({ fileName: 'a.pdf', contentType: 'application/pdf' }),
    ).rejects.toBeInstanceOf(InputValidationError);
  });
});
