import { type MockFault, serveHandlers } from '@sync/core/msw';
import { createRentixHandlers, RentixMockPortal } from '@sync/rentix/msw';
import { describe, expect, it } from 'vitest';

describe('RentixMockPortal fault plan', () => {
  it('fails the requests its plan picks, asking it once per request, after the explicit switches', async () => {
    const portal = new RentixMockPortal();
    const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
    try {
      const decisions: Array<MockFault | undefined> = [{ status: 503 }, { drop: true }, undefined, { status: 429 }];
      let asked = 0;
      portal.faultPlan = {
        next: () => {
          asked++;
          return decisions.shift();
        },
      };
      const get = () =>
        fetch(`${server.url}/api/v1/listings`).then(
          (r) => r.status,
          () => 'dropped',
        );
      expect(await get()).toBe(503);
      expect(await get()).toBe('dropped');
      expect(await get()).toBe(401);
      portal.failNext(1, 500);
      expect(await get()).toBe(500);
      expect(asked).toBe(4);
      expect(await get()).toBe(401);
      portal.reset();
      expect(portal.faultPlan).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
