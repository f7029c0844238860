import { type CallOptions, callOptions } from '@sync/core';
import { type ClientSettings, ClientSettingsSchema } from '../schemas/resources.js';
import { parseResponse, type Transport, unwrapOne, type WithResponse, withMeta } from '../transport.js';

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
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: '/clients/settings',
      operation: 'clients.settings',
      ...callOptions(options),
    });
    const raw = unwrapOne(response.data, ['settings', 'client'], 'clients.settings');
    return withMeta(parseResponse(ClientSettingsSchema, raw, 'clients.settings'), meta);
  }
}
