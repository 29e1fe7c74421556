import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';
import { runStoreSuite } from './store-suite.js';

runStoreSuite({
  name: 'sqlite',
  makeStore: async () => {
    const { dir, cleanup } = tempDir();
    const store = new SqliteStore({ filename: join(dir, 'docket.db') });
    await store.migrate();
    return {
      store,
      cleanup: async () => {
        await store.close();
        cleanup();
      },
    };
  },
});
