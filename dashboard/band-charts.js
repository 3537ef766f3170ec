// The fleet's percentile bands as charts: one small chart per metric, four lines each
// (p50, p90, p99, max) over the last two minutes - a fixed number of lines whatever the
// fleet size, so the legend stays four entries long.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").
import { BANDS, BAND_METRICS } from './percentiles.js';

// Light to dark, one hue: the order of the bands reads without the legend.
const BAND_COLOURS = { p50: '#9ecae1', p90: '#4292c6', p99: '#08519c', max: '#08306b' };

export class BandCharts {
  constructor(canvases, bands) {
    this.bands = bands;
    this.charts = BAND_METRICS.map((metric) => new Chart(canvases[metric], {
      type: 'line',
      data: { datasets: BANDS.map((band) => ({
        label: band, data: bands.series[metric][band],
        borderColor: BAND_COLOURS[band], backgroundColor: BAND_COLOURS[band],
        borderDash: band === 'max' ? [4, 3] : [],
      })) },
      options: {
        animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
        elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
        scales: {
          x: { type: 'linear', ticks: { maxTicksLimit: 3, maxRotation: 0,
            callback: (value) => new Date(value).toLocaleTimeString() } },
          y: { min: 0, max: metric === 'network' ? undefined : 100 },
        },
        plugins: { legend: { labels: { boxWidth: 12 } } },
      },
    }));
  }

  draw() {
    // The datasets hold the bands' own arrays: Chart.js reads them as they are now.
    for (const chart of this.charts) chart.update('none');
  }
}
