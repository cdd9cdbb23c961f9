// The time series of all logins per window, with labelled axes: window start (UTC) across, logins per window up.
import { ticks } from 'd3-array';
import { clock, count } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 420;
const HEIGHT = 190;
const MARGIN = { top: 10, right: 12, bottom: 42, left: 72 };

function element(name, attributes, text) {
    const el = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => el.setAttribute(key, value));
    if (text !== undefined) {
        el.textContent = text;
    }
    return el;
}

/** Draws {@code points} ({@code window_start}, {@code logins}) of windows {@code windowSeconds} long. */
export function drawSeries(svg, points, windowSeconds) {
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
    const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    const yTicks = ticks(0, Math.max(1, ...points.map(p => p.logins)), 4);
    const yMax = Math.max(1, yTicks[yTicks.length - 1], ...points.map(p => p.logins));
    const x = i => MARGIN.left + (points.length > 1 ? (i * plotWidth) / (points.length - 1) : plotWidth / 2);
    const y = v => MARGIN.top + plotHeight - (v / yMax) * plotHeight;

    const parts = [element('title', {}, points.length
        ? 'Latest window: ' + count(points[points.length - 1].logins) + ' logins' : 'No data yet')];
    const yAxis = element('g', { class: 'axis y-axis' });
    yTicks.forEach(tick => {
        yAxis.append(element('line', { x1: MARGIN.left - 4, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick),
            class: tick === 0 ? 'baseline' : 'grid' }),
        element('text', { x: MARGIN.left - 7, y: y(tick) + 4, 'text-anchor': 'end' }, count(tick)));
    });
    yAxis.append(element('text', { class: 'axis-title', transform: `translate(12 ${MARGIN.top + plotHeight / 2}) rotate(-90)`,
        'text-anchor': 'middle' }, `Logins per ${windowSeconds || 60} s window`));
    const xAxis = element('g', { class: 'axis x-axis' });
    const every = Math.max(1, Math.ceil(points.length / 4));
    points.forEach((p, i) => {
        if ((points.length - 1 - i) % every === 0) {
            xAxis.append(element('line', { x1: x(i), x2: x(i), y1: MARGIN.top + plotHeight, y2: MARGIN.top + plotHeight + 4 }),
                element('text', { x: x(i), y: MARGIN.top + plotHeight + 16, 'text-anchor': 'middle' }, clock(p.window_start)));
        }
    });
    xAxis.append(element('text', { class: 'axis-title', x: MARGIN.left + plotWidth / 2, y: HEIGHT - 4,
        'text-anchor': 'middle' }, 'Window start (UTC)'));
    parts.push(yAxis, xAxis);
    if (points.length) {
        parts.push(element('polyline', { class: 'series-line', fill: 'none',
            points: points.map((p, i) => x(i).toFixed(1) + ',' + y(p.logins).toFixed(1)).join(' ') }));
        points.forEach((p, i) => {
            const dot = element('circle', { class: 'series-dot', cx: x(i).toFixed(1), cy: y(p.logins).toFixed(1), r: 2.5 });
            dot.append(element('title', {}, clock(p.window_start) + ': ' + count(p.logins) + ' logins'));
            parts.push(dot);
        });
    } else {
        parts.push(element('text', { x: MARGIN.left + plotWidth / 2, y: MARGIN.top + plotHeight / 2,
            'text-anchor': 'middle', class: 'empty' }, 'no windows yet'));
    }
    svg.replaceChildren(...parts);
}
