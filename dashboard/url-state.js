// What the address bar carries: the system, the opened server, the heat map's metric and
// System 2's window - `#system=2&server=server-42` - so a teacher can paste the view into
// a chat and every student sees the same thing. The fragment (after #) never reaches the
// server and changing it does not reload the page; `hashchange` tells us when it moved.
//
// Lesson: lessons/15-the-dashboard-page.md. The old `?system=system2` query still works.

const SYSTEMS = { 1: 'system1', 2: 'system2' };

/**
 * The view named by a location: the hash wins; without one, the old query form
 * (`?system=system2`) is read. Unknown or missing values fall back to the defaults.
 */
export function viewFromLocation(location) {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const query = new URLSearchParams(location.search);
  const legacySystem = query.get('system') === 'system2' ? 'system2' : 'system1';
  const server = hash.get('server');
  return {
    system: SYSTEMS[hash.get('system')] ?? legacySystem,
    server: server ? server : null,
    metric: hash.get('metric'),
    window: hash.get('window'),
  };
}

/** The hash of a view, default values left out: `#system=1` rather than a long list. */
export function hashOf(view) {
  const hash = new URLSearchParams();
  hash.set('system', view.system === 'system2' ? '2' : '1');
  if (view.server) hash.set('server', view.server);
  if (view.metric && view.metric !== 'cpu') hash.set('metric', view.metric);
  if (view.window) hash.set('window', view.window);
  return `#${hash.toString()}`;
}
