// login-pulse dashboard: a snapshot on connect, then updates over /ws/stats; reconnects with backoff.
// All text from the stream is set with textContent: a hostile value never becomes HTML.
import { clock, count, rate, seconds } from './format.js';
import { openLiveSocket } from './live-socket.js';
import { drawMap, paint, showTooltipAt } from './map.js';
import { StatePanel } from './panel.js';
import { quantileScale, renderLegend } from './scale.js';
import { drawSeries } from './series.js';
import { onMap, UNKNOWN } from './states.js';
import { renderInsights, renderStateTables } from './tables.js';

const byId = id => document.getElementById(id);
const statusEl = byId('status');
const tooltip = byId('tooltip');
const mapEl = byId('map');
const panel = new StatePanel(byId('state-panel'));
let paths = new Map();
let stats = null;
const totals = []; // [time ms, total_logins] for logins per second

function rowsByState() {
    return new Map((stats ? stats.states : []).map(row => [row.state, row]));
}

function windowSeconds() {
    return stats && stats.window_start ? seconds(stats.window_start, stats.window_end) : 60;
}

function nameOf(code) {
    const path = paths.get(code);
    const row = rowsByState().get(code);
    return (path && path.getAttribute('data-name')) || (row && row.name) || code;
}

function describe(code) {
    const row = rowsByState().get(code) || { logins: 0, unique_users: 0, total_logins: 0, late_logins: 0 };
    const lines = [nameOf(code) + ' (' + code + ')',
        'Logins in window: ' + count(row.logins) + ' (' + rate(row.logins / windowSeconds()) + '/s)',
        'Distinct users in window: ' + count(row.unique_users),
        'Total since start: ' + count(row.total_logins)];
    if (row.late_logins > 0) {
        lines.push('Late (in the total, in no window): ' + count(row.late_logins));
    }
    return lines;
}

function showTooltip(el, event) {
    const code = el.getAttribute('data-state');
    tooltip.dataset.state = code;
    showTooltipAt(tooltip, mapEl.parentElement, el, describe(code), event);
}

function hideTooltip() {
    tooltip.hidden = true;
}

function select(code) {
    hideTooltip();
    panel.open(code, paths.get(code) || document.activeElement);
    if (stats) {
        panel.render(stats, nameOf(code), windowSeconds());
    }
}

function renderCounters() {
    byId('total-logins').textContent = count(stats.total_logins);
    byId('window-logins').textContent = count(stats.window_logins);
    byId('dead-lettered').textContent = count(stats.dead_lettered);
    byId('dropped-records').textContent = count(stats.dropped_records);
    byId('dropped-records').parentElement.title = 'Records on user-login-clean that cannot come from the cleaner: '
        + (Object.entries(stats.dropped_by_reason || {}).map(([reason, n]) => reason + ' ' + count(n)).join(', ')
            || 'none');
    byId('late-logins').textContent = count(stats.late_logins);
    byId('active-states').textContent = stats.states.filter(s => s.logins > 0).length;
    byId('window').textContent = stats.window_start
        ? clock(stats.window_start) + ' – ' + clock(stats.window_end) : 'no data yet';
    const now = Date.now();
    totals.push([now, stats.total_logins]);
    while (totals.length > 2 && now - totals[0][0] > 10000) {
        totals.shift();
    }
    const [t0, v0] = totals[0];
    byId('events-per-second').textContent = now - t0 >= 1000
        ? count(Math.max(0, Math.round((stats.total_logins - v0) * 1000 / (now - t0)))) : 'measuring…';
    byId('no-data').hidden = stats.total_logins > 0;
}

function render() {
    const rows = rowsByState();
    const scale = quantileScale(stats.states.filter(row => onMap(row.state)).map(row => row.logins));
    renderCounters();
    paint(paths, mapEl, rows, scale);
    renderLegend(byId('legend'), scale);
    const unknown = rows.get(UNKNOWN);
    byId('tile-UNK').querySelector('.tile-value').textContent = ' ' + count(unknown ? unknown.logins : 0) + ' / '
        + count(unknown ? unknown.total_logins : 0);
    renderStateTables(stats, windowSeconds());
    drawSeries(byId('series'), stats.series, windowSeconds());
    renderInsights(stats.insights);
    if (panel.code) {
        panel.render(stats, nameOf(panel.code), windowSeconds());
    }
    if (!tooltip.hidden && tooltip.dataset.state && paths.has(tooltip.dataset.state)) {
        showTooltip(paths.get(tooltip.dataset.state));
    }
}

const unknownTile = byId('tile-UNK');
unknownTile.addEventListener('mouseenter', () => showTooltip(unknownTile));
unknownTile.addEventListener('mouseleave', hideTooltip);
unknownTile.addEventListener('focus', () => showTooltip(unknownTile));
unknownTile.addEventListener('blur', hideTooltip);
unknownTile.addEventListener('click', () => select(UNKNOWN));

drawMap(mapEl, { select, hover: showTooltip, leave: hideTooltip })
    .then(drawn => {
        paths = drawn;
        if (stats) {
            render();
        }
    })
    .catch(error => {
        byId('map-help').textContent = 'The map could not be drawn (' + error.message + '); the table below has the same data.';
    })
    .finally(() => openLiveSocket('/ws/stats', statusEl, message => {
        if (message.type !== 'snapshot' && message.type !== 'update') {
            return false;
        }
        stats = message.stats;
        render();
        return true;
    }));
