import type { ApiJob, ApiJobPage } from '../../../http-client/wire.js';
import { api, DocketHttpError } from '../../api/http.js';

/** Most jobs a search shows: it is for finding a job, not for paging through many. */
const LIMIT = 100;
/** Longest text the API searches inputs for. */
const MAX_TEXT = 200;

/**
 * Finds jobs by id, unique key, or text in their input: the job with that
 * id (if any) first, then the jobs with that key, then those whose input
 * contains the text (case-insensitive), newest first, each job once.
 */
export async function searchJobs(q: string): Promise<ApiJobPage> {
  const client = api();
  const byId = client.getJob(q).catch((error: unknown) => {
    // Not an id (404), or not shaped like one (400): then it is only a key or text.
    if (error instanceof DocketHttpError && (error.status === 404 || error.status === 400)) return null;
    throw error;
  });
  const none = Promise.resolve({ jobs: [] as ApiJob[], nextCursor: null });
  const byKey = q.length <= 512 ? client.listJobs({ key: q, limit: LIMIT }) : none;
  const byText = q.length <= MAX_TEXT ? client.listJobs({ text: q, limit: LIMIT }) : none;
  const [job, keyed, texts] = await Promise.all([byId, byKey, byText]);
  const seen = new Set<string>();
  const jobs: ApiJob[] = [];
  for (const found of [...(job ? [job] : []), ...keyed.jobs, ...texts.jobs]) {
    if (seen.has(found.id) || jobs.length >= LIMIT) continue;
    seen.add(found.id);
    jobs.push(found);
  }
  return { jobs, nextCursor: null };
}
