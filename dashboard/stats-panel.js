// The system's own figures, from its /stats every 2 s: what the system says it did, beside
// what the page measured itself (the live figures). When the two disagree, one of them is
// wrong, and finding out which is the lesson.
//
// Lesson: lessons/15-the-dashboard-page.md.

/** Where each figure sits in each system's /stats JSON (System 1 has two documents). */
const STAT_PATHS = {
  system1: {
    statsUrl: { acceptedPerSecond: 'metrics.acceptedPerSecond', rejected: 'metrics.rejectedTotal',
                lag: 'stream.groupLag' },
    broadcasterStatsUrl: { dashboards: 'connections.dashboards', dropped: 'updates.dropped' },
  },
  system2: {
    statsUrl: { acceptedPerSecond: 'metrics.acceptedPerSecond', rejected: 'metrics.rejectedTotal',
                dashboards: 'connections.dashboards', dropped: 'updates.dropped' },
  },
};

export class StatsPanel {
  constructor({ panel, status, config }) {
    Object.assign(this, { panel, status, config });
    this.system = null;
  }

  /** Blanks the figures and hides those the system does not report (lag: System 1). */
  reset(system) {
    this.system = system;
    const reported = Object.values(STAT_PATHS[system]).flatMap(Object.keys);
    this.panel.querySelectorAll('dd').forEach((dd) => {
      dd.textContent = '—';
      dd.parentElement.hidden = !reported.includes(dd.dataset.stat);
    });
  }

  async poll() {
    const system = this.system;
    const failed = [];
    for (const [urlKey, figures] of Object.entries(STAT_PATHS[system])) {
      const url = this.config[system][urlKey];
      try {
        const response = await fetch(url, { cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const stats = await response.json();
        if (system !== this.system) return;  // switched while waiting: drop the answer
        for (const [figure, path] of Object.entries(figures)) {
          const value = path.split('.').reduce((object, key) => object?.[key], stats);
          const shown = typeof value === 'number' ? Math.round(value * 10) / 10 : '—';
          this.panel.querySelector(`dd[data-stat="${figure}"]`).textContent = shown;
        }
      } catch {
        failed.push(url);  // the system is down or not started: say so, keep polling
      }
    }
    this.status.textContent = failed.length ? `cannot read ${failed.join(', ')}` : '';
  }
}
