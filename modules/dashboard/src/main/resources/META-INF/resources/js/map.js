// The choropleth: US Census state shapes (us-atlas) drawn with d3-geo. The 48 contiguous states, Alaska and Hawaii in
// the Albers USA projection; Puerto Rico in an inset of its own; DC with a callout, as its shape is a few pixels wide.
// Every shape is a path with data-state="XX", focusable, and opens the state's panel on click, Enter or Space.
import { geoAlbersUsa, geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import { POSTAL_BY_FIPS } from './states.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 975;
const HEIGHT = 610;
const PUERTO_RICO = '72';
const PR_INSET = [[WIDTH - 200, HEIGHT - 80], [WIDTH - 30, HEIGHT - 20]];

function element(name, attributes) {
    const el = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => el.setAttribute(key, value));
    return el;
}

/**
 * Draws the shapes into {@code svg}; {@code handlers} has {@code select(code)}, {@code hover(el, event)} and
 * {@code leave()}. Returns the paths by state code.
 */
export async function drawMap(svg, handlers) {
    const response = await fetch('/vendor/us-atlas/states-10m.json');
    if (!response.ok) {
        throw new Error('map shapes unavailable: HTTP ' + response.status);
    }
    const topology = await response.json();
    const shapes = feature(topology, topology.objects.states).features.filter(f => POSTAL_BY_FIPS.has(f.id));
    const mainland = { type: 'FeatureCollection', features: shapes.filter(f => f.id !== PUERTO_RICO) };
    const albers = geoAlbersUsa().fitExtent([[10, 10], [WIDTH - 10, HEIGHT - 90]], mainland);
    const puertoRico = shapes.find(f => f.id === PUERTO_RICO);
    const inset = geoMercator().fitExtent(PR_INSET, puertoRico);

    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    const paths = new Map();
    const frame = element('rect', { class: 'inset-frame', x: PR_INSET[0][0] - 8, y: PR_INSET[0][1] - 8,
        width: PR_INSET[1][0] - PR_INSET[0][0] + 16, height: PR_INSET[1][1] - PR_INSET[0][1] + 16, rx: 4 });
    svg.append(frame);
    shapes.sort((a, b) => POSTAL_BY_FIPS.get(a.id).localeCompare(POSTAL_BY_FIPS.get(b.id))).forEach(shape => {
        const code = POSTAL_BY_FIPS.get(shape.id);
        const path = element('path', {
            d: geoPath(shape.id === PUERTO_RICO ? inset : albers)(shape),
            'data-state': code,
            'data-name': shape.properties.name,
            tabindex: '0',
            role: 'button',
            'aria-label': shape.properties.name,
        });
        attach(path, code, handlers);
        svg.append(path);
        paths.set(code, path);
    });
    // DC: a callout east of it, which acts as its shape does.
    const [x, y] = geoPath(albers).centroid(shapes.find(f => POSTAL_BY_FIPS.get(f.id) === 'DC'));
    const callout = element('g', { class: 'callout', 'data-callout': 'DC' });
    callout.append(element('line', { x1: x, y1: y, x2: x + 48, y2: y + 24 }),
        element('circle', { cx: x + 56, cy: y + 28, r: 9 }));
    const label = element('text', { x: x + 70, y: y + 33 });
    label.textContent = 'DC';
    callout.append(label);
    callout.addEventListener('click', () => handlers.select('DC'));
    svg.append(callout);
    const prLabel = element('text', { class: 'inset-label', x: PR_INSET[0][0] - 2, y: PR_INSET[0][1] + 4 });
    prLabel.textContent = 'PR';
    svg.append(prLabel);
    return paths;
}

function attach(path, code, handlers) {
    path.addEventListener('mouseenter', event => handlers.hover(path, event));
    path.addEventListener('mousemove', event => handlers.hover(path, event));
    path.addEventListener('mouseleave', handlers.leave);
    path.addEventListener('focus', () => handlers.hover(path));
    path.addEventListener('blur', handlers.leave);
    path.addEventListener('click', () => handlers.select(code));
    path.addEventListener('keydown', event => {
        if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            handlers.select(code);
        }
    });
}

/** Colours the paths (and the DC callout) by their state's window logins. */
export function paint(paths, svg, rowsByCode, scale) {
    paths.forEach((path, code) => {
        const row = rowsByCode.get(code);
        const logins = row ? row.logins : 0;
        path.setAttribute('fill', scale.colorOf(logins));
        path.dataset.logins = String(logins);
    });
    const dc = svg.querySelector('[data-callout="DC"] circle');
    if (dc) {
        dc.setAttribute('fill', paths.get('DC').getAttribute('fill'));
    }
}

/**
 * Shows {@code lines} (the first one bold) in {@code tooltip} beside the shape {@code el}: at the pointer of
 * {@code event}, else at the shape's centre; kept inside {@code card}, flipped to the left near its right edge.
 */
export function showTooltipAt(tooltip, card, el, lines, event) {
    tooltip.replaceChildren(...lines.map((line, i) => {
        const div = document.createElement(i === 0 ? 'strong' : 'div');
        div.textContent = line;
        return div;
    }));
    const box = el.getBoundingClientRect();
    const bounds = card.getBoundingClientRect();
    const x = event ? event.clientX : box.left + box.width / 2;
    const y = event ? event.clientY : box.top + box.height / 2;
    tooltip.hidden = false;
    const left = x - bounds.left + 12;
    const flip = left + tooltip.offsetWidth > bounds.width;
    tooltip.style.left = Math.max(0, flip ? x - bounds.left - 12 - tooltip.offsetWidth : left) + 'px';
    tooltip.style.top = (y - bounds.top + 12) + 'px';
}
