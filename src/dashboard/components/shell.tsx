import type { ComponentChildren } from 'preact';
import { getToken, type Role, setToken } from '../api/session.js';
import { signIn } from '../api/sign-in.js';
import { useRoute } from '../lib/router.js';
import { ConnectionBadge } from './connection-badge.js';

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/schedules', label: 'Schedules' },
  { path: '/workers', label: 'Workers' },
  { path: '/capacity', label: 'Capacity' },
];

/** The frame around every page: brand, navigation, connection indicator, role. */
export function Shell({ role, children }: { role: Role; children: ComponentChildren }) {
  const { path } = useRoute();
  const section = path === '/' ? '/' : `/${path.split('/')[1]}`;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="#/" aria-label="Docket overview">
          <span class="brand-mark" aria-hidden="true">
            D
          </span>
          Docket
        </a>
        <nav class="nav" aria-label="Sections">
          {NAV.map((item) => (
            <a
              key={item.path}
              href={`#${item.path}`}
              class="nav-link"
              aria-current={section === item.path ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div class="topbar-end">
          <ConnectionBadge />
          {role === 'read' && (
            <span class="badge badge-readonly" title="Read-only token: actions are disabled">
              read-only
            </span>
          )}
          {getToken() !== null && (
            <button
              type="button"
              class="button button-quiet"
              onClick={() => {
                setToken(null);
                void signIn();
              }}
            >
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
