import { useEffect } from 'preact/hooks';
import { session } from './api/session.js';
import { signIn } from './api/sign-in.js';
import { Shell } from './components/shell.js';
import { TokenPrompt } from './components/token-prompt.js';
import { useRoute } from './lib/router.js';
import { useStore } from './lib/store.js';
import { startQueueFeed } from './live/queue-feed.js';
import { CapacityPage } from './pages/capacity/capacity-page.js';
import { JobPage } from './pages/job/job-page.js';
import { JobsPage } from './pages/jobs/jobs-page.js';
import { OverviewPage } from './pages/overview/overview-page.js';
import { SchedulesPage } from './pages/schedules/schedules-page.js';
import { WorkersPage } from './pages/workers/workers-page.js';

function Page() {
  const { path, query } = useRoute();
  const job = /^\/jobs\/([^/]+)$/.exec(path);
  if (job) return <JobPage id={decodeURIComponent(job[1]!)} />;
  switch (path) {
    case '/jobs':
      return <JobsPage query={query} />;
    case '/schedules':
      return <SchedulesPage />;
    case '/workers':
      return <WorkersPage />;
    case '/capacity':
      return <CapacityPage />;
    default:
      return <OverviewPage />;
  }
}

/** Signs in (asking for a token when the server has them), then shows the pages. */
export function App() {
  const state = useStore(session);
  useEffect(() => {
    void signIn();
  }, []);
  const ready = state.status === 'ready';
  // The shared feeds run for as long as the session does, on every page.
  useEffect(() => (ready ? startQueueFeed() : undefined), [ready]);

  if (state.status === 'needs-token') return <TokenPrompt refused={state.refused} />;
  if (state.status === 'checking') {
    return (
      <main class="signin" id="main">
        <p class="muted">Connecting to Docket…</p>
      </main>
    );
  }
  if (state.status === 'unreachable') {
    return (
      <main class="signin" id="main">
        <div class="card signin-card">
          <h1>Docket</h1>
          <p class="notice notice-error" role="alert">
            The server did not answer: {state.message}
          </p>
          <button type="button" class="button button-primary" onClick={() => void signIn()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  return (
    <Shell role={state.role}>
      <Page />
    </Shell>
  );
}
