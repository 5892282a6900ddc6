export type {
  MirrorCounts,
  MirrorFailedEntry,
  MirrorFailure,
  MirrorOptions,
  SecondaryFailurePolicy,
} from './mirror-failure.js';
export { type MirroredQueue, mirrorQueue } from './mirror-queue.js';
export type { MirrorSides } from './mirror-sides.js';
export { type MirroredTopic, mirrorTopic } from './mirror-topic.js';
