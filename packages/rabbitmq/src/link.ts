import { MsgportError } from '@msgport/core/driver';
import { type Channel, type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import type { AmqpHost } from './host-order.js';
import type { AmqpEndpoint } from './url.js';
import { coalesceWrites } from './write-coalescing.js';

/** One AMQP connection; a new link (with a higher epoch) replaces it after every reconnect. */
export interface Link {
  readonly epoch: number;
  readonly model: ChannelModel;
  readonly alive: boolean;
  /** The node this connection reached, `host:port`. */
  readonly node: string;
  /**
   * This connection replaces one that was lost. The cluster kept everything declared before, so its
   * setup re-asserts topology in the background instead of holding up operations (a node being down
   * can make some declarations wait or fail).
   */
  readonly recovered: boolean;
  /**
   * Channels the connection can still open (its negotiated channel_max less those open). Opening one
   * past that fails with `Throttled` instead of amqplib's untyped "No channels left to allocate".
   */
  spareChannels(): number;
  /** The connection's negotiated channel_max. */
  readonly channelMax: number;
  /** The error for a channel this connection has no room for. */
  noChannelError(reason: string): MsgportError;
  openChannel(): Promise<Channel>;
  openConfirmChannel(): Promise<ConfirmChannel>;
}

/** What this module reads of amqplib's connection: its negotiated limit and its channel table. */
interface ChannelTable {
  readonly channelMax?: number;
  readonly channels?: readonly unknown[];
}

export class AmqpLink implements Link {
  readonly epoch: number;
  readonly model: ChannelModel;
  readonly node: string;
  /** Index of the node in the connection's host order. */
  readonly hostIndex: number;
  readonly recovered: boolean;
  alive = true;
  /** Set once the setup hooks ran; a link that dies before is retried by whoever was establishing it. */
  established = false;

  constructor(epoch: number, model: ChannelModel, node: string, hostIndex: number, recovered: boolean) {
    this.epoch = epoch;
    this.model = model;
    this.node = node;
    this.hostIndex = hostIndex;
    this.recovered = recovered;
  }

  get channelMax(): number {
    return (this.model.connection as unknown as ChannelTable).channelMax ?? 0xffff;
  }

  spareChannels(): number {
    const table = this.model.connection as unknown as ChannelTable;
    const max = this.channelMax;
    let open = 0;
    // Entry 0 is the connection's own; closed channels leave null behind.
    for (const entry of table.channels ?? []) if (entry) open++;
    return max - open;
  }

  async openChannel(): Promise<Channel> {
    this.#assertSpareChannel();
    return absorbErrors(await this.model.createChannel());
  }

  async openConfirmChannel(): Promise<ConfirmChannel> {
    this.#assertSpareChannel();
    return absorbErrors(await this.model.createConfirmChannel());
  }

  noChannelError(reason: string): MsgportError {
    return new MsgportError('Throttled', `the connection to ${this.node} (channel_max ${this.channelMax}) ${reason}`, {
      transport: 'rabbitmq',
    });
  }

  #assertSpareChannel(): void {
    if (this.spareChannels() <= 0) throw this.noChannelError('has every channel in use');
  }
}

/**
 * Channel errors also arrive as `close`, where the owners of the channel handle them; an unhandled
 * `error` event would crash the process, so the listener only keeps it from being unhandled.
 */
function absorbErrors<C extends Channel>(channel: C): C {
  channel.on('error', () => {});
  return channel;
}

/** Opens an AMQP connection to one node (amqplib gets an object, so no URL with the password exists). */
export async function openLink(
  endpoint: AmqpEndpoint,
  host: AmqpHost,
  options: { readonly timeoutMs: number; readonly connectionName: string },
): Promise<ChannelModel> {
  const { username, password, vhost, heartbeat, frameMax, channelMax, locale, protocol, tls } = endpoint;
  const model = await connect(
    {
      protocol,
      hostname: host.host,
      port: host.port,
      username,
      password,
      vhost,
      heartbeat,
      ...(frameMax !== undefined ? { frameMax } : {}),
      ...(channelMax !== undefined ? { channelMax } : {}),
      ...(locale !== undefined ? { locale } : {}),
    },
    {
      ...tls,
      noDelay: true,
      timeout: options.timeoutMs,
      clientProperties: { connection_name: options.connectionName },
    },
  );
  coalesceWrites(model);
  return model;
}
