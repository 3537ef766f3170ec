// One server, drilled into: CPU, memory and disk in one chart, network in and out in
// another, over a sliding minute. The system sends only this server while the view is
// open (the filter travels in subscribe/register), so the page does not pay for 9,999
// others it does not show. The history comes from the fleet's ring for this server.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").
import { HISTORY, GAUGE_COUNT } from './fleet.js';
import { LABELS, formatValue } from './format.js';

const SPAN_MS = 60000;  // the sliding axis: the last minute
const COLOURS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#9a6700'];

function lineChart(canvas, gauges, yMax) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: gauges.map((g) => ({
      label: LABELS[g], data: [], borderColor: COLOURS[g], backgroundColor: COLOURS[g],
      borderDash: g === 4 ? [4, 3] : [],
    })) },
    options: {
      animation: false,   // redrawn several times a second: animations would never finish
      parsing: false,     // points are already {x, y}: skip Chart.js's parsing pass
      normalized: true,   // x values are sorted, which lets Chart.js skip a sort
      maintainAspectRatio: false,
      elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
      scales: {
        // A linear axis of epoch milliseconds: the time axis would need a date adapter.
        x: { type: 'linear', ticks: { maxTicksLimit: 6,
          callback: (value) => new Date(value).toLocaleTimeString() } },
        y: { min: 0, max: yMax },
      },
      plugins: { legend: { labels: { boxWidth: 12 } } },  // 2 or 3 lines: a legend helps
    },
  });
}

export class ServerView {
  constructor({ title, figures, percentCanvas, networkCanvas, fleet }) {
    Object.assign(this, { title, figures, percentCanvas, networkCanvas, fleet });
    this.serverId = null;
    this.percent = null;
    this.network = null;
  }

  /**
   * Call once the view is shown: the charts are made on the first opening, since a chart
   * made in a hidden section measures its box as zero and keeps Chart.js's default size.
   */
  open(serverId) {
    this.serverId = serverId;
    this.title.textContent = serverId;
    if (this.percent === null) {
      this.percent = lineChart(this.percentCanvas, [0, 1, 2], 100);
      this.network = lineChart(this.networkCanvas, [3, 4], undefined);
    }
  }

  draw(now) {
    const { times, values } = this.fleet.history(this.serverId);
    for (const [chart, gauges] of [[this.percent, [0, 1, 2]], [this.network, [3, 4]]]) {
      gauges.forEach((g, d) => {
        chart.data.datasets[d].data = times.map((x, k) => ({ x, y: values[k][g] }));
      });
      // The axis slides with the clock, so a silent server's line visibly stops.
      // (A metric stamped ahead of our clock still shows: the right edge takes the later.)
      const right = Math.max(now, times.length ? times[times.length - 1] : now);
      chart.options.scales.x.min = right - SPAN_MS;
      chart.options.scales.x.max = right;
      chart.update('none');
    }
    const index = this.fleet.indexOf.get(this.serverId);
    this.figures.querySelectorAll('dd[data-gauge]').forEach((dd) => {
      const g = Number(dd.dataset.gauge);
      dd.textContent = index === undefined ? '—'
        : formatValue(g, this.fleet.latest[index * GAUGE_COUNT + g]);
    });
    this.figures.dataset.samples = String(Math.min(HISTORY, times.length));
  }
}
