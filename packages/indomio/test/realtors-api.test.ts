import { InputValidationError, MemoryIdentifierMap } from '@sync/core';
import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, IndomioClient, IndomioError, REALTOR_KIND, realtorKey } from '../src/index.js';
import { createIndomioHandlers, IndomioMockPortal } from '../src/msw/index.js';
import { minimalProperty } from './helpers.js';

const portal = new IndomioMockPortal({
  agencies: [
    'agency@example.com',
    { email: 'other@example.com', id: '67500', online: true },
    { email: 'offline@example.com', id: '9', online: false },
  ],
});
let server: HandlerServer;

beforeAll(async () => {
  server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
});
afterAll(() => server.close());
afterEach(() => portal.reset());

function client(idMap = new MemoryIdentifierMap()) {
  return new IndomioClient({
    username: 'user',
    password: 'secret',
    source: 'crm',
    baseUrl: server.url,
    allowInsecureHttp: true,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    idMap,
  });
}

describe('realtors.put', () => {
  it('creates a realtor with every field, remembers its portal id, and the exports list it', async () => {
    const idMap = new MemoryIdentifierMap();
    const indomio = client(idMap);
    const result = await indomio.realtors.put({
      agencyEmail: 'agency@example.com',
      realtors: [
        {
          externalId: 'crm-agent-7',
          firstName: 'Giulia',
          surname: 'Bianchi',
          role: 'agent',
          avatar: 'https://img.example.com/g.jpg',
          language: 'it-IT',
          connections: [
            { type: 'email', value: 'giulia@agency.example' },
            { type: 'mobile', value: '+39 333 0000000' },
          ],
        },
      ],
    });
    const stored = portal.realtors.byExternalId('agency@example.com', 'crm-agent-7');
    expect(stored).toMatchObject({ firstName: 'Giulia', lastName: 'Bianchi', email: 'giulia@agency.example' });
    expect(result.realtor).toEqual({ id: stored?.id, uuid: stored?.uuid, externalId: 'crm-agent-7' });
    expect(result.response).toMatchObject({ result: true, errorCode: 0, realEstate: 'agency@example.com' });
    expect(await idMap.get('indomio', REALTOR_KIND, realtorKey('agency@example.com', 'crm-agent-7'))).toBe(
      String(stored?.id),
    );

    const [company] = await indomio.companies.list('default');
    expect(company).toMatchObject({ username: 'agency@example.com', group: 'default', status: 'ACTIVE' });
    const realtors = await indomio.realtors.list(company?.id ?? 0);
    expect(realtors).toEqual([
      {
        id: stored?.id,
        uuid: stored?.uuid,
        externalId: 'crm-agent-7',
        email: 'giulia@agency.example',
        firstName: 'Giulia',
        lastName: 'Bianchi',
        owner: false,
        status: 'ACTIVE',
      },
    ]);
  });

  it('updates a realtor it already has by its external id, and deletes it', async () => {
    const indomio = client();
    await indomio.realtors.put({
      agencyEmail: 'agency@example.com',
      realtors: [{ externalId: 'a', firstName: 'Old' }],
    });
    await indomio.realtors.put({
      agencyEmail: 'agency@example.com',
      realtors: [{ externalId: 'a', firstName: 'New' }],
    });
    expect(portal.realtors.list('agency@example.com')).toMatchObject([
      { externalId: 'a', firstName: 'New', writes: 2 },
    ]);
    await indomio.realtors.delete('agency@example.com', 'a');
    expect(portal.realtors.list('agency@example.com')).toEqual([]);
  });

  it('is refused for an unknown or offline agency with the portal codes', async () => {
    const indomio = client();
    const unknown = await indomio.realtors
      .put({ agencyEmail: 'nobody@example.com', realtors: [{ externalId: 'a' }] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(IndomioError);
    expect((unknown as IndomioError).code).toBe(ErrorCode.MISSING_RE);
    const offline = await indomio.realtors
      .put({ agencyEmail: 'offline@example.com', realtors: [{ externalId: 'a' }] })
      .catch((e: unknown) => e);
    expect((offline as IndomioError).code).toBe(ErrorCode.OFFLINE_RE);
  });

  it('refuses an invalid realtor before any call, naming the field', async () => {
    const error = await client()
      .realtors.put({ agencyEmail: 'agency@example.com', realtors: [{ externalId: 'a', role: 'boss' as 'agent' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues[0]?.path).toBe('realtors.0.role');
    expect(portal.requests).toHaveLength(0);
  });
});

describe('companies.list and realtors.list', () => {
  it('lists the companies of a group only, and a company unknown to the portal is NOT_FOUND', async () => {
    portal.realtors.setGroup('other@example.com', 'north');
    const indomio = client();
    const north = await indomio.companies.list('north');
    expect(north.map((c) => [c.id, c.username])).toEqual([[67500, 'other@example.com']]);
    const error = await indomio.realtors.list(424242).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndomioError);
    expect((error as IndomioError).code).toBe(ErrorCode.NOT_FOUND);
  });
});

describe('a listing naming a realtor', () => {
  const naming = (realtor: { externalId?: string; id?: number }) => ({
    ...minimalProperty('with-realtor'),
    agent: { email: 'agency@example.com', realtors: [realtor] },
  });

  it('is refused with MISSING_REALTOR, naming the realtor, until the agency has it', async () => {
    const indomio = client();
    const error = await indomio.properties.put(naming({ externalId: 'crm-agent-9' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndomioError);
    expect((error as IndomioError).code).toBe(ErrorCode.MISSING_REALTOR);
    expect((error as IndomioError).response.realtorExternalId).toBe('crm-agent-9');
    expect(portal.getListing('with-realtor')).toBeUndefined();

    await indomio.realtors.put({ agencyEmail: 'agency@example.com', realtors: [{ externalId: 'crm-agent-9' }] });
    await indomio.properties.put(naming({ externalId: 'crm-agent-9' }));
    expect(portal.getListing('with-realtor')).toBeDefined();
  });

  it('by portal id is checked as well, and a realtor of another agency does not count', async () => {
    const other = portal.realtors.add('other@example.com', { externalId: 'x' });
    const indomio = client();
    const error = await indomio.properties.put(naming({ id: other.id })).catch((e: unknown) => e);
    expect((error as IndomioError).code).toBe(ErrorCode.MISSING_REALTOR);
    const own = portal.realtors.add('agency@example.com', { externalId: 'y' });
    await indomio.properties.put(naming({ id: own.id }));
    expect(portal.getListing('with-realtor')).toBeDefined();
  });
});
