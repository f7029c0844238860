import { type MockFault, serveHandlers } from '@sync/core/msw';
import { createIndomioHandlers, IndomioMockPortal } from '@sync/indomio/msw';
import { describe, expect, it } from 'vitest';

describe('IndomioMockPortal fault plan', () => {
  it('fails the requests its plan picks, asking it once per request, after the explicit switches', async () => {
    const portal = new IndomioMockPortal();
    const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
    try {
      const decisions: Array<MockFault | undefined> = [{ status: 503 }, { drop: true }, undefined, { status: 429 }];
      let asked = 0;
      portal.faultPlan = {
        next: () => {
          asked++;
          return decisions.shift();
        },
      };
      const remove = () =>
        fetch(`${server.url}/ws/import/immobiliare/property/x-1`, { method: 'DELETE' }).then(
          async (r) => ({ status: r.status, body: await r.text() }),
          () => 'dropped' as const,
        );
      const first = await remove();
      expect(first).toMatchObject({ status: 503 });
      expect(first !== 'dropped' && first.body).toMatch(/<ServiceResponse/);
      expect(await remove()).toBe('dropped');
      expect(await remove()).toMatchObject({ status: 401 });
      portal.dropNext(1);
      expect(await remove()).toBe('dropped');
      expect(asked).toBe(4);
      expect(portal.requests.map((r) => r.status)).toEqual([503, 401]);
      portal.reset();
      expect(portal.faultPlan).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
