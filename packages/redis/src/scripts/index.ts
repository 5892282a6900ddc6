import { createHash } from 'node:crypto';
import { ADOPT, HANDOFF } from './handoff.js';
import { LUA_LIB } from './lib.js';
import { CREATE_QUEUE, DELETE_QUEUE, PURGE_QUEUE, QUEUE_STATS } from './queue-admin.js';
import { RECEIVE } from './receive.js';
import { SEND } from './send.js';
import { CHANGE_VISIBILITY, DELETE_MESSAGES } from './settle.js';
import {
  COMMIT_PUBLISH,
  CREATE_TOPIC,
  DELETE_TOPIC,
  PREPARE_PUBLISH,
  READ_TOPIC,
  SUBSCRIBE,
  UNSUBSCRIBE,
} from './topic.js';

/** One Lua script and its SHA-1, the name EVALSHA knows it by. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
  /**
   * Losing this write in a failover would lose a message or a queue, topic or subscription (not
   * merely redeliver one): with `waitForReplicas` it is confirmed by replicas before it returns.
   */
  readonly mustReplicate: boolean;
}

function script(name: string, source: string, mustReplicate = false): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex'), mustReplicate };
}

const queueScript = (name: string, body: string, mustReplicate = false) =>
  script(name, `${LUA_LIB}\n${body}`, mustReplicate);
const REPLICATE = true;

/** Every state transition of the transport is exactly one of these scripts. */
export const SCRIPTS = {
  createQueue: queueScript('createQueue', CREATE_QUEUE, REPLICATE),
  deleteQueue: queueScript('deleteQueue', DELETE_QUEUE, REPLICATE),
  purge: queueScript('purge', PURGE_QUEUE, REPLICATE),
  stats: queueScript('stats', QUEUE_STATS),
  send: queueScript('send', SEND, REPLICATE),
  receive: queueScript('receive', RECEIVE),
  deleteMessages: queueScript('deleteMessages', DELETE_MESSAGES),
  changeVisibility: queueScript('changeVisibility', CHANGE_VISIBILITY),
  adopt: queueScript('adopt', ADOPT, REPLICATE),
  handoff: queueScript('handoff', HANDOFF),
  createTopic: script('createTopic', CREATE_TOPIC, REPLICATE),
  deleteTopic: script('deleteTopic', DELETE_TOPIC, REPLICATE),
  readTopic: script('readTopic', READ_TOPIC),
  preparePublish: script('preparePublish', PREPARE_PUBLISH),
  commitPublish: script('commitPublish', COMMIT_PUBLISH),
  subscribe: script('subscribe', SUBSCRIBE, REPLICATE),
  unsubscribe: script('unsubscribe', UNSUBSCRIBE, REPLICATE),
} as const satisfies Record<string, LuaScript>;

export type ScriptName = keyof typeof SCRIPTS;
