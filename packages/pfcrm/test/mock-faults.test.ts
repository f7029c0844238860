import { type MockFault, serveHandlers } from '@sync/core/msw';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';
import { describe, expect, it } from 'vitest';

describe('PfCrmMockPortal fault plan', () => {
  it('fails the API calls its plan picks, asking it once per call, after the explicit switches', async () => {
    const portal = new PfCrmMockPortal();
    const server = await serveHandlers((url) => createPfCrmHandlers({ portal, baseUrl: url }));
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
        fetch(`${server.url}/properties/1`).then(
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
