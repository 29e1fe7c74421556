import { useEffect, useState } from 'preact/hooks';

/** Where the app is: `#/jobs/abc?x=1` is path `/jobs/abc` with query `x=1`. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const at = hash.indexOf('?');
  return at === -1
    ? { path: hash, query: new URLSearchParams() }
    : { path: hash.slice(0, at), query: new URLSearchParams(hash.slice(at + 1)) };
}

/**
 * The current hash route. Hash routing: the server serves one index.html
 * at `/` and needs no fallback route for deep links.
 */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** A link target for a path and query (empty values left out). */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

/** Goes to a route; `replace` keeps the history clean while typing in filters. */
export function navigate(target: string, replace = false): void {
  if (replace) history.replaceState(null, '', target);
  else location.hash = target.replace(/^#/, '');
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}
