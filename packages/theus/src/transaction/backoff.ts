/** How a run retries after a conflict. */
export interface ConflictPolicy {
  /** Re-runs after the first conflict before `ConflictError` (default 8). */
  readonly maxRetries: number;
  /** The first back-off delay in milliseconds (default 1). */
  readonly baseDelayMs: number;
  /** The longest back-off delay in milliseconds (default 50). */
  readonly maxDelayMs: number;
  /**
   * Conflicts after which a run stops backing off and queues for its turn: runs queue first come,
   * first served per set of touched paths, and a run whose turn comes holds those paths until it
   * commits or fails (default 1; 0 counts as 1). A run stopped by another run's turn queues at once.
   */
  readonly vipAfter: number;
  /**
   * The longest a run may take, its process, back-off, queueing and commit included, before it
   * fails with `WriteTimeoutError` and releases its turn (default 30,000).
   */
  readonly writeTimeoutMs: number;
}

/** The defaults of {@link ConflictPolicy}. */
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = Object.freeze({
  maxRetries: 8,
  baseDelayMs: 1,
  maxDelayMs: 50,
  vipAfter: 1,
  writeTimeoutMs: 30_000,
});

/** Exponential back-off with ±50% jitter for the `attempt`-th conflict (1-based). */
export function backoffDelay(policy: ConflictPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return exponential * (0.5 + random());
}
