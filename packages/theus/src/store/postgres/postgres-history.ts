import { selectHistory, type HistoryQuery } from '../../engine/history-query.js';
import { RingBuffer } from '../../util/ring-buffer.js';
import type { CommitRecord } from '../store.js';

/**
 * The commits one node has seen, newest kept (at most `capacity`): those replayed when it opened,
 * its own, and the other nodes' it read. This is what `engine.history()` lists on a PostgreSQL
 * store: the log itself stays in the database.
 */
export class SeenHistory {
  readonly #records: RingBuffer<CommitRecord>;
  #newest = -1;

  /** @param capacity - how many commits to keep (a positive integer). */
  constructor(capacity: number) {
    this.#records = new RingBuffer(capacity);
  }

  /** The newest version seen (-1 before the store opened). */
  get newest(): number {
    return this.#newest;
  }

  /** Notes that the log reached `version` (the seed's, when the store opened). */
  reached(version: number): void {
    if (version > this.#newest) this.#newest = version;
  }

  /** Keeps `record` when it is newer than every one kept (a commit read twice is kept once). */
  add(record: CommitRecord): void {
    if (record.version <= this.#newest) return;
    this.#records.push(record);
    this.#newest = record.version;
  }

  /** The kept commits `query` selects, oldest first. */
  select(query: HistoryQuery): readonly CommitRecord[] {
    return selectHistory(this.#records.toArray(), query);
  }
}
