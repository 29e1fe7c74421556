import { describe, it } from 'node:test';
import { makePgStore, pgSkipReason } from '../helpers/pg.js';
import { runStoreSuite } from './store-suite.js';

// Each case gets its own schema, dropped afterwards. No case is skipped.
const skipReason = await pgSkipReason();
if (skipReason) {
  describe('store conformance: postgres', () => {
    it('runs against PostgreSQL', { skip: skipReason }, () => {});
  });
} else {
  runStoreSuite({ name: 'postgres', makeStore: () => makePgStore() });
}
