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
}

function script(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

const queueScript = (name: string, body: string) => script(name, `${LUA_LIB}\n${body}`);

/** Every state transition of the transport is exactly one of these scripts. */
export const SCRIPTS = {
  createQueue: queueScript('createQueue', CREATE_QUEUE),
  deleteQueue: queueScript('deleteQueue', DELETE_QUEUE),
  purge: queueScript('purge', PURGE_QUEUE),
  stats: queueScript('stats', QUEUE_STATS),
  send: queueScript('send', SEND),
  receive: queueScript('receive', RECEIVE),
  deleteMessages: queueScript('deleteMessages', DELETE_MESSAGES),
  changeVisibility: queueScript('changeVisibility', CHANGE_VISIBILITY),
  adopt: queueScript('adopt', ADOPT),
  handoff: queueScript('handoff', HANDOFF),
  createTopic: script('createTopic', CREATE_TOPIC),
  deleteTopic: script('deleteTopic', DELETE_TOPIC),
  readTopic: script('readTopic', READ_TOPIC),
  preparePublish: script('preparePublish', PREPARE_PUBLISH),
  commitPublish: script('commitPublish', COMMIT_PUBLISH),
  subscribe: script('subscribe', SUBSCRIBE),
  unsubscribe: script('unsubscribe', UNSUBSCRIBE),
} as const satisfies Record<string, LuaScript>;

export type ScriptName = keyof typeof SCRIPTS;
