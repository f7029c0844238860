import { InputValidationError, NetworkError, ServerError, UnexpectedResponseError } from '@sync/core';
import { type Property, propertiesQuery } from '@sync/pfcrm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, saleInput, startHarness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.portal.reset());
afterAll(() => h.close());

describe('properties: reads', () => {
  it('gets a property unwrapped, with languages as an array', async () => {
    const stored = h.portal.addProperty({ reference: 'R-1' });
    const property = await h.client.properties.get(stored.id);
    expect(property).toMatchObject({ id: stored.id, reference: 'R-1', state: 'pending' });
    expect(property.languages).toEqual([{ lang: 'en', title: 'A property', description: 'A description' }]);
  });

  it('sends X-MyCRM-Expand-Data only when expansion is asked for', async () => {
    const stored = h.portal.addProperty({ user: 2 });
    const plain = await h.client.properties.get(stored.id);
    const expanded = await h.client.properties.get(stored.id, { expand: true });
    expect(h.portal.requests.map((r) => r.expand)).toEqual([null, 'true']);
    expect(plain.user).toEqual({ id: 2 });
    expect(expanded.user).toMatchObject({ id: 2, first_name: 'Omar' });
    expect(expanded.images).toEqual([]);
    expect(plain.images).toBeUndefined();
  });

  it('lists with filters, sort and pagination, returning items, count, page and perPage', async () => {
    h.portal.seedProperties(60);
    const page = await h.client.properties.list({
      filters: { offering_type: 'sale', from_price: 600_000, to_price: 1_500_000 },
      sort: 'price',
      sortOrder: 'DESC',
      page: 2,
      perPage: 5,
    });
    const all = [...h.portal.properties.values()].filter((p) => {
      const price = p.price as { type: string; value: number };
      return price.type === 'sale' && price.value >= 600_000 && price.value <= 1_500_000;
    });
    expect(page.count).toBe(all.length);
    expect(page.page).toBe(2);
    expect(page.perPage).toBe(5);
    expect(page.items).toHaveLength(5);
    const prices = page.items.map((p) => p.price?.value ?? 0);
    expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    expect(h.portal.requests[0]?.search).toBe(
      `?${propertiesQuery({
        filters: { offering_type: 'sale', from_price: 600_000, to_price: 1_500_000 },
        sort: 'price',
        sortOrder: 'DESC',
        page: 2,
        perPage: 5,
      })}`,
    );
  });

  it('filters on state, location ids, rooms, portal and created interval in the mock', async () => {
    h.portal.seedProperties(100);
    const check = async (
      filters: Parameters<typeof h.client.properties.list>[0],
      predicate: (p: Property) => boolean,
    ) => {
      const page = await h.client.properties.list({ ...filters, perPage: 100 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every(predicate)).toBe(true);
      expect(page.count).toBeLessThan(100);
    };
    await check({ filters: { state: 'approved' } }, (p) => p.state === 'approved');
    await check({ filters: { location_ids: ['are.5.2'] } }, (p) => p.location?.id === 'are.5.2');
    await check(
      { filters: { from_bedroom: 2, to_bedroom: 3 } },
      (p) => (p.bedrooms ?? -1) >= 2 && (p.bedrooms ?? 9) <= 3,
    );
    await check({ filters: { portal: 'propertyfinder' } }, (p) =>
      (p.publication as string[]).includes('propertyfinder'),
    );
    await check({ filters: { created: { from: '2023-03-01', to: '2023-03-31' } } }, (p) =>
      String(p.created_at).startsWith('2023-03'),
    );
  });

  it('iterates 2,500 properties across pages, in order, each once', async () => {
    h.portal.seedProperties(2_500);
    const ids: number[] = [];
    for await (const p of h.client.properties.iterate()) ids.push(p.id);
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids).size).toBe(2_500);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const pages = h.portal.requests.filter((r) => r.path === '/properties');
    expect(pages).toHaveLength(25);
    expect(pages.every((r) => r.search.includes('per_page=100'))).toBe(true);
  });

  it('stops iterating when the AbortSignal fires and sends no further page requests', async () => {
    h.portal.seedProperties(1_000);
    const controller = new AbortController();
    let seen = 0;
    const run = async () => {
      for await (const _ of h.client.properties.iterate({ perPage: 50 }, { signal: controller.signal })) {
        seen++;
        if (seen === 120) controller.abort(new Error('enough'));
      }
    };
    await expect(run()).rejects.toThrow('enough');
    expect(seen).toBe(120);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.portal.requests.length).toBeLessThanOrEqual(4);
  });

  it('breaking out of an iteration ends it cleanly', async () => {
    h.portal.seedProperties(300);
    const ids: number[] = [];
    for await (const p of h.client.properties.iterate({ perPage: 100 })) {
      ids.push(p.id);
      if (ids.length === 150) break;
    }
    expect(ids).toHaveLength(150);
  });

  it('returns the configuration from OPTIONS', async () => {
    const options = await h.client.properties.options();
    expect(options.configuration.type.map((t) => t.name)).toContain('Villa');
    expect(options.configuration.offering_type).toEqual(['rent', 'sale']);
    expect(options.methods?.PATCH?.description).toBe('Apply an action on a property');
  });

  it('passes the X-MyCRM-API-Warning header to the result and to a warning event', async () => {
    h.portal.warning = 'this endpoint will change';
    h.portal.addProperty();
    const warnings: string[] = [];
    const off = h.client.on('warning', (e) => warnings.push(`${e.operation}: ${e.warning}`));
    const page = await h.client.properties.list();
    const one = await h.client.properties.get(1);
    off();
    expect(page.warning).toBe('this endpoint will change');
    expect(one.lastResponse.warning).toBe('this endpoint will change');
    expect(warnings).toEqual([
      'properties.list: this endpoint will change',
      'properties.get: this endpoint will change',
    ]);
  });

  it('retries a GET after a 503 and a dropped connection', async () => {
    h.portal.addProperty();
    h.portal.failNext(1, 503);
    h.portal.dropNext(1);
    const property = await h.client.properties.get(1);
    expect(property.id).toBe(1);
    expect(property.lastResponse.attempts).toBe(3);
  });

  it('names the property and the field when a response does not match the API', async () => {
    h.portal.addProperty();
    const p = h.portal.properties.get(1);
    if (p) p.bedrooms = 'two';
    const error = await h.client.properties.get(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toMatch(/properties\.get \[1\].*bedrooms/);
  });
});

describe('properties: writes', () => {
  it('creates a property wrapped as { property } with languages keyed by language', async () => {
    const bodies: unknown[] = [];
    const client = h.makeClient({
      fetch: async (input, init) => {
        const request = new Request(input as Request, init);
        if (request.method === 'POST' && request.url.endsWith('/properties')) bodies.push(await request.clone().json());
        return fetch(request);
      },
    });
    const created = await client.properties.create(saleInput());
    expect(created.id).toBeGreaterThan(0);
    expect(created.languages).toEqual([
      { lang: 'en', title: 'Marina view', description: 'Two bedrooms over the marina' },
    ]);
    expect(bodies[0]).toMatchObject({
      property: {
        reference: 'CRM-1',
        languages: { en: { title: 'Marina view', description: 'Two bedrooms over the marina' } },
        views: [],
        fields: {},
      },
    });
    expect(h.portal.properties.get(created.id)?.reference).toBe('CRM-1');
  });

  it('never retries a create after a server error, so no duplicate can appear', async () => {
    h.portal.failNext(1, 503);
    await expect(h.client.properties.create(saleInput())).rejects.toBeInstanceOf(ServerError);
    expect(h.portal.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    h.portal.dropNext(1);
    await expect(h.client.properties.create(saleInput())).rejects.toBeInstanceOf(NetworkError);
    expect(h.portal.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(h.portal.properties.size).toBe(0);
  });

  it('creates a rent with prices by period and an image by upload token', async () => {
    const upload = await h.client.uploads.create(Buffer.from('jpeg bytes'), 'property_image', { filename: 'a.jpg' });
    const created = await h.client.properties.create(
      saleInput({
        price: {
          offering: 'rent',
          cheques: 4,
          default_period: 'year',
          prices: [
            { period: 'year', value: 120_000 },
            { period: 'month', value: 11_000 },
          ],
        },
        images: [{ token: upload.token, order: 1 }],
      }),
      { configuration: undefined },
    );
    expect(created.price).toMatchObject({ type: 'rent', default_period: 'year', cheques: 4 });
    expect(h.portal.properties.get(created.id)?.images).toHaveLength(1);
  });

  it('updates a property with PUT, keeping existing images by id', async () => {
    const upload = await h.client.uploads.create(new Blob(['png']), 'property_image');
    const created = await h.client.properties.create(saleInput({ images: [{ token: upload.token }] }));
    const imageId = ((h.portal.properties.get(created.id)?.images ?? []) as Array<{ id: number }>)[0]?.id ?? 0;
    const updated = await h.client.properties.update({
      ...saleInput({ size: 130 }),
      id: created.id,
      images: [{ id: imageId, order: 2 }],
      floor_plans: [{ type: 'pf_floor_plan', id: 9, display_on: ['pdf'] }],
    });
    expect(updated.size).toBe(130);
    expect(h.portal.properties.get(created.id)?.images).toEqual([{ id: imageId, order: 2, watermark: false }]);
    expect(h.portal.properties.get(created.id)?.floor_plans).toEqual([
      { type: 'pf_floor_plan', id: 9, display_on: ['pdf'] },
    ]);
  });

  it('deletes one property', async () => {
    const { id } = h.portal.addProperty();
    await h.client.properties.delete(id);
    expect(h.portal.properties.has(id)).toBe(false);
  });

  it('e-mails properties', async () => {
    const { id } = h.portal.addProperty();
    const ack = await h.client.properties.email({
      properties: [id],
      to: ['foo@bar.com'],
      subject: 'Hello!',
      body: 'How are you?',
      copy: false,
      language: 'fr',
    });
    expect(ack.lastResponse.status).toBe(201);
    expect(h.portal.emails).toEqual([
      { properties: [id], to: ['foo@bar.com'], subject: 'Hello!', body: 'How are you?', copy: false, language: 'fr' },
    ]);
  });
});

describe('properties: input checked before any call, errors naming the field', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['missing draft', { draft: undefined }, 'draft'],
    ['missing size', { size: undefined }, 'size'],
    ['missing type', { type: undefined }, 'type'],
    ['missing location id', { location: {} }, 'location.id'],
    ['no language', { languages: {} }, 'languages'],
    ['title without description', { languages: { ar: { title: 'x' } } }, 'languages.ar.description'],
    ['unknown language', { languages: { de: { title: 'x', description: 'y' } } }, 'languages'],
    ['13 bedrooms', { bedrooms: 13 }, 'bedrooms'],
    ['9 parking spaces', { parking: 9 }, 'parking'],
    ['floors 0', { floors: 0 }, 'floors'],
    ['sale without value', { price: { offering: 'sale' } }, 'price.value'],
    ['cheques on a sale', { price: { offering: 'sale', value: 1, cheques: 2 } }, 'price'],
    [
      'rent without a price for its default period',
      { price: { offering: 'rent', default_period: 'month', prices: [{ period: 'year', value: 1 }] } },
      'price.default_period',
    ],
    [
      'rent with 13 cheques',
      { price: { offering: 'rent', cheques: 13, default_period: 'year', prices: [{ period: 'year', value: 1 }] } },
      'price.cheques',
    ],
    ['available_from when sold', { status: 'sold', available_from: '2024-01-01' }, 'available_from'],
    ['manual license without dates', { licenses: { rera: { number: '1', validation: 'manual' } } }, 'licenses.rera'],
    ['unknown portal in publication', { publication: { zillow: true } }, 'publication'],
    ['image with neither token nor id', { images: [{ order: 1 }] }, 'images.0'],
    ['a typo', { bedroms: 2 }, ''],
  ];
  it.each(cases)('refuses %s', async (_name, patch, path) => {
    const error = await h.client.properties.create(saleInput(patch) as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    const paths = (error as InputValidationError).issues.map((i) => i.path);
    expect(paths.some((p) => p === path || p.startsWith(`${path}.`) || (path === '' && p === ''))).toBe(true);
    expect((error as InputValidationError).message).toContain('CRM-1');
    expect(h.portal.requests).toHaveLength(0);
  });

  it('checks type, offering and amenities against the configuration once options() was called', async () => {
    await h.client.properties.options();
    const error = await h.client.properties
      .create(
        saleInput({
          type: 4,
          price: { offering: 'rent', default_period: 'year', prices: [{ period: 'year', value: 1 }] },
          amenities: [4, 99],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual([
      'price.offering',
      'amenities.0',
      'amenities.1',
    ]);
    expect(h.portal.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('reports the mock portal validation (422) with its field errors', async () => {
    const error = await h
      .makeClient()
      .properties.create(saleInput({ type: 77 }))
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(422);
    expect((error as { body?: unknown }).body).toEqual({
      code: 422,
      message: 'validation failed',
      errors: [{ field: 'type', message: 'unknown property type' }],
    });
  });
});
