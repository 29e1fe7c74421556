import { type Clock, createDocket, type Docket, type DocketOptions } from '../../src/index.js';
import { tempSqliteUrl } from './tmp.js';

/** A Docket on a fresh SQLite file; `cleanup` closes it and removes the file. */
export async function tempDocket(
  options: Omit<DocketOptions, 'store'> & { clock?: Clock } = {},
): Promise<{ docket: Docket; url: string; cleanup: () => Promise<void> }> {
  const { url, cleanup } = tempSqliteUrl();
  const docket = await createDocket({ ...options, store: url });
  return {
    docket,
    url,
    cleanup: async () => {
      await docket.close();
      cleanup();
    },
  };
}
