/** A waiting job as a claim orders it: its id, priority and run time (a raw row of claimCandidatesInQueue). */
export type Candidate = [id: number, priority: number, runAt: number];

/** Claim order: higher priority first, then the earlier run time, then the older job. */
function compareCandidates(a: Candidate, b: Candidate): number {
  return b[1] - a[1] || a[2] - b[2] || a[0] - b[0];
}

/**
 * How many of each queue's first jobs make up the first `limit` waiting
 * jobs of all of them in claim order: a merge of the queues' own claim
 * orders (`firstOf(queue, n)`, a queue's first n jobs). The answer is a
 * count per queue because the merge only ever takes a queue's jobs from its
 * front, so leasing each queue's first `count` jobs leases exactly those.
 * Each queue is read a page at a time, a page twice the last when the merge
 * used it up: a claim reads little more than `limit` jobs when its queues
 * share it evenly, and about three times `limit` at most when one queue
 * takes it all, not `limit` from every queue. Runs inside the claim's
 * transaction, so a queue read again returns the same jobs first.
 */
export function mergeQueues(
  queues: string[],
  limit: number,
  firstOf: (queue: string, n: number) => Candidate[],
): Map<string, number> {
  // A fair share and a quarter: queues that share the claim evenly need no second read.
  const page = Math.min(limit, Math.max(16, Math.ceil((1.25 * limit) / Math.max(1, queues.length))));
  const lanes = queues.map((queue) => {
    const rows = firstOf(queue, page);
    return { queue, rows, at: 0, taken: 0, read: page, more: rows.length === page && page < limit };
  });
  for (let picked = 0; picked < limit; picked++) {
    let best: (typeof lanes)[number] | undefined;
    for (const lane of lanes) {
      if (lane.at === lane.rows.length && lane.more) {
        // Used up but not the queue's last: read further, past what was taken.
        lane.read = Math.min(limit, 2 * lane.read);
        const rows = firstOf(lane.queue, lane.read);
        lane.more = rows.length === lane.read && lane.read < limit;
        lane.rows = rows.slice(lane.taken);
        lane.at = 0;
      }
      if (lane.at === lane.rows.length) continue;
      if (!best || compareCandidates(lane.rows[lane.at]!, best.rows[best.at]!) < 0) best = lane;
    }
    if (!best) break;
    best.at++;
    best.taken++;
  }
  return new Map(lanes.filter((lane) => lane.taken > 0).map((lane) => [lane.queue, lane.taken]));
}
