import type { ApiJob, ApiJobPage } from '../../../http-client/wire.js';
import { api, DocketHttpError } from '../../api/http.js';

/**
 * Finds jobs by id or unique key: the job with that id (if any) and the
 * jobs with that key, newest first. The API has no text search over
 * inputs yet.
 */
export async function searchJobs(q: string): Promise<ApiJobPage> {
  const client = api();
  const byId = client.getJob(q).catch((error: unknown) => {
    // Not an id (404), or not shaped like one (400): then it is only a key.
    if (error instanceof DocketHttpError && (error.status === 404 || error.status === 400)) return null;
    throw error;
  });
  const byKey = q.length <= 512 ? client.listJobs({ key: q, limit: 100 }) : Promise.resolve({ jobs: [] });
  const [job, page] = await Promise.all([byId, byKey]);
  const jobs: ApiJob[] = job ? [job] : [];
  for (const other of page.jobs) if (other.id !== job?.id) jobs.push(other);
  return { jobs, nextCursor: null };
}
