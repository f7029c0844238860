import { InputValidationError, type Listing } from '@sync/core';
import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  fromListing,
  INDOMIO_DEFAULT_TYPOLOGIES,
  INDOMIO_TYPOLOGIES,
  IndomioClient,
  IndomioError,
  SizeTypeSchema,
  TYPOLOGY_SIZE_RULES,
  typologyById,
  validateProperty,
} from '../src/index.js';
import { createIndomioHandlers, DEFAULT_TYPOLOGIES, IndomioMockPortal } from '../src/msw/index.js';
import { crmListing, minimalProperty } from './helpers.js';

const listing = (overrides: Partial<Listing> = {}) => crmListing('crm-1', overrides);

const agency = { email: 'agency@example.com' };

describe('the typology table', () => {
  it('publishes the documented ids with their rules, and every id once', () => {
    const ids = INDOMIO_TYPOLOGIES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(INDOMIO_TYPOLOGIES.filter((t) => t.source === 'docs').map((t) => t.id)).toEqual([14, 253, 254, 259]);
    expect(typologyById(253)?.sizeTypes).toEqual(['Garage']);
    expect(typologyById(254)?.sizeTypes).toEqual(['Garage']);
    expect(typologyById(259)).toMatchObject({ contracts: ['R'], sizeTypes: ['Ufficio'] });
    for (const types of Object.values(TYPOLOGY_SIZE_RULES)) {
      for (const type of types) expect(SizeTypeSchema.options).toContain(type);
    }
  });

  it('is what fromListing maps CRM kinds by, unless options.typologies says otherwise', () => {
    expect(fromListing(listing({ type: 'villa' }), { agency }).building.typeId).toBe(23);
    expect(fromListing(listing({ type: 'garage', category: 'commercial' }), { agency }).building.typeId).toBe(253);
    expect(INDOMIO_DEFAULT_TYPOLOGIES).toMatchObject({ apartment: 14, garage: 253, office: 258, retail: 268 });
    const studio = fromListing(listing({ type: 'studio' }), {
      agency,
      typologies: { ...INDOMIO_DEFAULT_TYPOLOGIES, studio: 17 },
    });
    expect(studio.building.typeId).toBe(17);
    expect(() => fromListing(listing({ type: 'studio' }), { agency })).toThrow(/studio/);
  });

  it('refuses a contract the typology does not take, naming the field', () => {
    let error: unknown;
    try {
      fromListing(listing({ type: 'office', category: 'commercial' }), { agency, typologies: { office: 259 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues).toEqual([
      expect.objectContaining({ path: 'offer', message: expect.stringContaining('259 (Coworking)') }),
    ]);
    expect(
      fromListing(listing({ type: 'office', category: 'commercial', offer: 'rent', rentPeriod: 'month' }), {
        agency,
        typologies: { office: 259 },
      }).building.typeId,
    ).toBe(259);
  });

  it('gives the listing model its size-type rule: a garage only takes Garage surfaces', () => {
    const garage = {
      ...minimalProperty('g'),
      building: { typeId: 253 },
      features: {
        energyClass: {},
        sizes: { unit: 'm2' as const, items: [{ type: 'Abitazione' as const, surface: 20, weight: 100 }] },
      },
    };
    expect(() => validateProperty(garage)).toThrow(/Garage/);
  });

  describe('and the mock', () => {
    const portal = new IndomioMockPortal();
    let server: HandlerServer;
    beforeAll(async () => {
      server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
    });
    afterAll(() => server.close());

    it('knows the table, with its contracts and size types, and refuses an id outside it with UNRESOLVED_TYPOLOGY', async () => {
      const known = new Map(DEFAULT_TYPOLOGIES.map((t) => [t.id, t]));
      for (const t of INDOMIO_TYPOLOGIES) {
        expect(known.get(t.id)).toEqual({ id: t.id, name: t.name, contracts: t.contracts, sizeType: t.sizeTypes?.[0] });
      }
      const indomio = new IndomioClient({
        username: 'user',
        password: 'secret',
        source: 'crm',
        baseUrl: server.url,
        allowInsecureHttp: true,
      });
      await indomio.properties.put({ ...minimalProperty('v'), building: { typeId: 23 } });
      expect(portal.getListing('v')?.typeId).toBe(23);
      const error = await indomio.properties
        .put({ ...minimalProperty('x'), building: { typeId: 9999 } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IndomioError);
      expect((error as IndomioError).code).toBe(ErrorCode.UNRESOLVED_TYPOLOGY);
      const sale = await indomio.properties
        .put({ ...minimalProperty('c'), building: { typeId: 259 } })
        .catch((e: unknown) => e);
      expect((sale as IndomioError).code).toBe(ErrorCode.UNRESOLVED_TYPOLOGY);
    });
  });
});
