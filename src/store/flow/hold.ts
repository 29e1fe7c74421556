import type { FlowLimits, HoldReason } from '../store.js';
import {
  type Bucket,
  type FlowRow,
  groupBucket,
  nextTokenAt,
  refill,
  rowToFloor,
  rowToFlow,
  wholeTokens,
} from './limits.js';

/** The queue-level limits binding now: paused, at its concurrency, or out of rate tokens. */
export function queueHolds(
  queue: string,
  paused: boolean,
  flow: FlowLimits,
  active: number,
  bucket: Bucket,
  now: number,
): HoldReason[] {
  const reasons: HoldReason[] = [];
  if (paused) reasons.push({ kind: 'paused', queue, message: `queue ${queue} is paused` });
  if (flow.concurrency !== null && active >= flow.concurrency) {
    reasons.push({
      kind: 'concurrency',
      queue,
      message: `queue ${queue} at its concurrency limit (${active}/${flow.concurrency} active)`,
    });
  }
  if (flow.rate) {
    const tokens = refill(bucket, flow.rate, now);
    if (wholeTokens(tokens) < 1) {
      reasons.push({
        kind: 'rate',
        queue,
        until: nextTokenAt(tokens, flow.rate, now),
        message: `waiting for rate limit of queue ${queue} (${flow.rate.limit} per ${flow.rate.periodMs} ms)`,
      });
    }
  }
  return reasons;
}

/**
 * The group-level limits binding now for `group` of the queue whose row is
 * `row`, from the group's active jobs and its stored bucket (read as a
 * claim reads it: see limits.ts groupBucket).
 */
export function groupHolds(
  row: FlowRow,
  group: string,
  active: number,
  stored: Bucket,
  now: number,
): HoldReason[] {
  const queue = row.name;
  const flow = rowToFlow(row);
  const bucket = flow.groupRate ? groupBucket(stored, rowToFloor(row), flow.groupRate, now) : stored;
  const reasons: HoldReason[] = [];
  if (flow.groupConcurrency !== null && active >= flow.groupConcurrency) {
    reasons.push({
      kind: 'group-concurrency',
      queue,
      group,
      message: `group ${group} at its concurrency limit (${active}/${flow.groupConcurrency} active) in queue ${queue}`,
    });
  }
  if (flow.groupRate) {
    const tokens = refill(bucket, flow.groupRate, now);
    if (wholeTokens(tokens) < 1) {
      reasons.push({
        kind: 'group-rate',
        queue,
        group,
        until: nextTokenAt(tokens, flow.groupRate, now),
        message: `waiting for rate limit of group ${group} in queue ${queue} (${flow.groupRate.limit} per ${flow.groupRate.periodMs} ms)`,
      });
    }
  }
  return reasons;
}
