import { VIEWS, type ViewId } from './session/access.js';

/** The page's place, kept in the URL hash so that a wall display can be bookmarked. */
export interface Route {
  view: ViewId;
  params: Record<string, string>;
}

export function parseRoute(hash: string, fallback: ViewId): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const view = (VIEWS as readonly string[]).includes(path) ? (path as ViewId) : fallback;
  return { view, params: Object.fromEntries(new URLSearchParams(search)) };
}

export function formatRoute(route: Route): string {
  const entries = Object.entries(route.params).filter(([, v]) => v !== '');
  const search = new URLSearchParams(entries).toString();
  return `#/${route.view}${search ? `?${search}` : ''}`;
}
