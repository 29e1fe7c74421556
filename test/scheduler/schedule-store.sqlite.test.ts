import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';
import { runScheduleStoreSuite } from './schedule-store-suite.js';

runScheduleStoreSuite({
  name: 'sqlite',
  makeStore: async () => {
    const { dir, cleanup } = tempDir();
    const filename = join(dir, 'docket.db');
    const opened: SqliteStore[] = [new SqliteStore({ filename })];
    await opened[0]!.migrate();
    return {
      store: opened[0]!,
      second: async () => {
        const store = new SqliteStore({ filename });
        opened.push(store);
        return store;
      },
      cleanup: async () => {
        for (const store of opened) await store.close();
        cleanup();
      },
    };
  },
});
