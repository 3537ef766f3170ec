// The charts of a load test comparison page (results/*-compare.html, written by
// analytics.loadtest.report.ComparisonPage and served by the dashboard at /results/).
// The figures come from the page's own JSON data block; the table in the page has the
// same figures for a reader without JavaScript.
//
// Lesson: lessons/19-load-testing-done-right.md. No build step, no library but Chart.js.
'use strict';

const COLORS = { http1: '#0969da', http2: '#8250df', ws: '#1a7f37',
                 'fanout-system1': '#9a6700', 'fanout-system2': '#cf222e' };
const OTHER_COLOR = '#6e7781';
// A saturated generator measured itself, not the server: its points are drawn as crosses.
const SATURATED_POINT = 'crossRot';

const data = JSON.parse(document.getElementById('comparison-data').textContent);

function color(scenario) {
  return COLORS[scenario.id] || OTHER_COLOR;
}

/** One line per scenario; points where the generator saturated are marked. */
function lineDatasets(figure) {
  return data.scenarios.map((scenario) => ({
    label: scenario.title,
    data: scenario[figure],
    borderColor: color(scenario),
    backgroundColor: color(scenario),
    pointStyle: scenario.generatorSaturated.map((saturated) => (saturated ? SATURATED_POINT : 'circle')),
    pointRadius: scenario.generatorSaturated.map((saturated) => (saturated ? 7 : 3)),
    spanGaps: true,
  }));
}

function chart(id, type, datasets, yAxis) {
  return new Chart(document.getElementById(id), {
    type,
    data: { labels: data.levels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: yAxis },
      plugins: {
        legend: { labels: { boxWidth: 12 } },
        tooltip: { callbacks: { footer: saturatedFooter } },
      },
    },
  });
}

function saturatedFooter(items) {
  const item = items[0];
  const scenario = data.scenarios[item.datasetIndex];
  return scenario && scenario.generatorSaturated && scenario.generatorSaturated[item.dataIndex]
    ? 'generator saturated: this measures the driver' : '';
}

function draw() {
  // p99 spans from under a millisecond to seconds once a transport saturates: only a
  // log axis shows both ends.
  chart('chart-p99', 'line', lineDatasets('p99Ms'),
    { type: 'logarithmic', title: { display: true, text: 'ms' } });

  // The offered rate is the line every achieved rate should sit on; a gap below it is
  // load the server (or the generator) did not take.
  const offered = { label: 'offered', data: data.offeredPerSecond, borderColor: OTHER_COLOR,
                    borderDash: [6, 4], pointRadius: 0, spanGaps: true };
  chart('chart-rate', 'line', [offered, ...lineDatasets('achievedPerSecond')],
    { type: 'logarithmic', title: { display: true, text: 'metrics/s' } });

  chart('chart-cpu', 'bar', data.scenarios.map((scenario) => ({
    label: scenario.title, data: scenario.serverCpuMicrosPerMetric, backgroundColor: color(scenario),
  })), { beginAtZero: true, title: { display: true, text: 'µs per metric' } });
}

if (typeof Chart === 'undefined') {
  // Opened from disk, or lib/ lacks Chart.js: say so instead of drawing empty boxes.
  document.getElementById('charts-missing').hidden = false;
  document.querySelector('.charts').remove();
} else {
  draw();
}
