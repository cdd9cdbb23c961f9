// The map's colour scale: classes from the quantiles of the distinct window counts of the states on the map (the
// 50 states, DC and PR). UNK, which can outnumber any state, takes no part: one large bucket would otherwise push
// every state into the lowest class. Quantiles of the distinct counts keep two states with different counts apart
// however skewed the spread (a log-like scale where it needs one, an even one where it does not).
import { bisectRight, quantileSorted } from 'd3-array';
import { count } from './format.js';

// Viridis, 7 classes: perceptually uniform and colour-blind safe; light to dark.
export const PALETTE = ['#fde725', '#90d743', '#35b779', '#21918c', '#31688e', '#443983', '#440154'];
/** The fill of a state without logins in the window (dark mode overrides it in CSS). */
export const ZERO = '#e5e7eb';

/**
 * A scale for these counts: {@code colorOf(count)} and the legend's {@code bins}, each {@code {from, to, color}}
 * with integer bounds, lowest first; no bins when no state has a login.
 */
export function quantileScale(counts) {
    const distinct = Array.from(new Set(counts.filter(count => count > 0))).sort((a, b) => a - b);
    if (distinct.length === 0) {
        return { colorOf: () => ZERO, bins: [] };
    }
    const classes = Math.min(PALETTE.length, distinct.length);
    const thresholds = [];
    for (let i = 1; i < classes; i++) {
        const threshold = Math.ceil(quantileSorted(distinct, i / classes));
        if (threshold > distinct[0] && threshold > (thresholds[thresholds.length - 1] ?? 0)) {
            thresholds.push(threshold);
        }
    }
    // Spread the classes over the whole palette, so that two classes are always far apart in colour.
    const colors = thresholds.length === 0 ? [PALETTE[PALETTE.length - 1]]
        : Array.from({ length: thresholds.length + 1 },
            (_, i) => PALETTE[Math.round(i * (PALETTE.length - 1) / thresholds.length)]);
    const bounds = [distinct[0], ...thresholds, distinct[distinct.length - 1] + 1];
    const bins = colors.map((color, i) => ({ from: bounds[i], to: bounds[i + 1] - 1, color }));
    return {
        colorOf: count => (count > 0 ? colors[bisectRight(thresholds, count)] : ZERO),
        bins,
    };
}

/** The legend of a scale into {@code element}: a grey swatch for 0, then each bin's colour and range. */
export function renderLegend(element, scale) {
    const items = [{ color: null, text: '0' }, ...scale.bins.map(bin => ({ color: bin.color,
        text: bin.from === bin.to ? count(bin.from) : count(bin.from) + '–' + count(bin.to) }))];
    element.replaceChildren(...items.map(item => {
        const span = document.createElement('span');
        span.className = 'legend-item';
        const swatch = document.createElement('i');
        if (item.color) {
            swatch.style.background = item.color;
        } else {
            swatch.className = 'zero';
        }
        span.append(swatch, document.createTextNode(item.text));
        return span;
    }));
}
