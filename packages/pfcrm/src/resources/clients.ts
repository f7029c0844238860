import type { CallOptions } from '@sync/core';
import { type ClientSettings, ClientSettingsSchema } from '../schemas/resources.js';
import { type Transport, unwrapOne, type WithResponse, withMeta } from '../transport.js';

/** The `clients` resource: the account's own settings. */
export class ClientsResource {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /**
   * The account's settings (`GET /clients/settings`): licences, the portals it may publish
   * on (a publication on a disabled portal is refused), and the watermark applied to uploads.
   *
   * @example
   * const settings = await pf.clients.settings();
   * const enabled = settings.portals?.filter((p) => p.enabled).map((p) => p.code);
   */
  async settings(options: CallOptions = {}): Promise<WithResponse<ClientSettings>> {
    const { data, meta } = await this.#t.call(
      {
        schema: ClientSettingsSchema,
        method: 'GET',
        path: '/clients/settings',
        operation: 'clients.settings',
        unwrap: (body) => unwrapOne(body, ['settings', 'client'], 'clients.settings'),
      },
      options,
    );
    return withMeta(data, meta);
  }
}
