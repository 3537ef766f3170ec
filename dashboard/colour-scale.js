// A colour-blind-safe scale for the heat map: viridis, which runs from dark blue-violet
// through teal to yellow, grows steadily lighter (it reads in greyscale and on a washed-out
// projector) and avoids the red-green contrast that 1 man in 12 cannot see.
//
// The nine stops are viridis's published colours at 0, 1/8, ... 1; between them we
// interpolate in RGB into a 256-entry table once, so a cell costs one array lookup.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").

const VIRIDIS_STOPS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c',
                       '#28ae80', '#5ec962', '#addc30', '#fde725'];
export const STEPS = 256;

function rgbOf(hex) {
  return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
}

/** STEPS × [r, g, b], flat: entry i is the colour of i / (STEPS - 1). */
export const VIRIDIS = (() => {
  const stops = VIRIDIS_STOPS.map(rgbOf);
  const table = new Uint8ClampedArray(STEPS * 3);
  for (let i = 0; i < STEPS; i++) {
    const position = (i / (STEPS - 1)) * (stops.length - 1);
    const low = Math.min(Math.floor(position), stops.length - 2);
    const fraction = position - low;
    for (let channel = 0; channel < 3; channel++) {
      table[i * 3 + channel] = stops[low][channel]
        + (stops[low + 1][channel] - stops[low][channel]) * fraction;
    }
  }
  return table;
})();

/** The table index of a value on a scale from 0 to max; out-of-range values are clamped. */
export function scaleIndex(value, max) {
  const t = max > 0 ? value / max : 0;
  return Math.max(0, Math.min(STEPS - 1, Math.round(t * (STEPS - 1))));
}

/** A CSS colour for the legend and the tooltip swatch. */
export function cssColour(index) {
  return `rgb(${VIRIDIS[index * 3]}, ${VIRIDIS[index * 3 + 1]}, ${VIRIDIS[index * 3 + 2]})`;
}
