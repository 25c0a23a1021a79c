import { type WriteResult } from './stage-writer.js';

/** What happens after a write: the outbox relay is kicked and the scheduler re-armed. */
export interface WriteHooks {
  /** After our own transaction committed. */
  committed(result: WriteResult): void;
  /** Inside an event consumer's transaction, which commits after the handler returns. */
  staged(result: WriteResult): void;
}

export const noWriteHooks: WriteHooks = { committed: () => undefined, staged: () => undefined };
