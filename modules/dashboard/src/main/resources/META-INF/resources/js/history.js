// login-pulse history view: logins per day of a range (all states or one) and the map and table of one day or hour,
// read from /api/history/states (the dashboard forwards it to the archiver). The choice lives in the URL:
// /history?from=YYYY-MM-DD&to=YYYY-MM-DD&state=XX&day=YYYY-MM-DD&hour=HH. All text is set with textContent.
import { ticks } from 'd3-array';
import { count } from './format.js';
import { drawMap, paint, showTooltipAt } from './map.js';
import { quantileScale, renderLegend } from './scale.js';
import { onMap, UNKNOWN } from './states.js';

const SVG = 'http://www.w3.org/2000/svg';
const API = '/api/history/states';
const DAY_MS = 86400000;
const DEFAULT_DAYS = 7;
const byId = id => document.getElementById(id);
const form = byId('history-form');
const mapEl = byId('map');
const tooltip = byId('tooltip');
let paths = new Map();
let dayRows = new Map();
let choice = null;

function element(name, attributes, text) {
    const el = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => el.setAttribute(key, value));
    if (text !== undefined) {
        el.textContent = text;
    }
    return el;
}

const isoDay = ms => new Date(ms).toISOString().substring(0, 10);
const validDay = value => /^\d{4}-\d{2}-\d{2}$/.test(value || '') && !Number.isNaN(Date.parse(value + 'T00:00:00Z'));
const dayMs = value => Date.parse(value + 'T00:00:00Z');

function setStatus(text, cls) {
    byId('status').textContent = text;
    byId('status').className = 'status ' + cls;
}

function showError(text) {
    const el = byId('history-error');
    el.textContent = text;
    el.hidden = !text;
}

/** The choice from the URL, with defaults: the last seven days up to today (UTC), all states, the range's last day. */
function readChoice() {
    const params = new URLSearchParams(location.search);
    const today = isoDay(Date.now());
    const to = validDay(params.get('to')) ? params.get('to') : today;
    const from = validDay(params.get('from')) ? params.get('from') : isoDay(dayMs(to) - (DEFAULT_DAYS - 1) * DAY_MS);
    const day = validDay(params.get('day')) ? params.get('day') : to;
    const hourText = params.get('hour');
    const hour = /^\d{1,2}$/.test(hourText || '') && Number(hourText) < 24 ? Number(hourText) : null;
    const state = /^[A-Z]{2,3}$/.test(params.get('state') || '') ? params.get('state') : '';
    return { from, to, state, day, hour };
}

function writeChoice(replace) {
    const params = new URLSearchParams({ from: choice.from, to: choice.to });
    if (choice.state) {
        params.set('state', choice.state);
    }
    params.set('day', choice.day);
    if (choice.hour !== null) {
        params.set('hour', String(choice.hour).padStart(2, '0'));
    }
    const url = location.pathname + '?' + params.toString();
    if (replace) {
        history.replaceState(null, '', url);
    } else {
        history.pushState(null, '', url);
    }
}

function fillControls() {
    byId('from').value = choice.from;
    byId('to').value = choice.to;
    byId('state').value = choice.state;
    byId('day').value = choice.day;
    byId('day').min = choice.from;
    byId('day').max = choice.to;
    byId('hour').value = choice.hour === null ? '' : String(choice.hour);
}

/** GETs a history query; resolves to its JSON, or rejects with the error the archiver (or the dashboard) gave. */
async function query(params, state) {
    const url = (state ? API + '/' + encodeURIComponent(state) : API) + '?' + new URLSearchParams(params).toString();
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    let body = null;
    try {
        body = await response.json();
    } catch (e) {
        body = null;
    }
    if (!response.ok) {
        const why = body && body.error ? body.error : 'HTTP ' + response.status;
        throw new Error(response.status === 503 ? 'The archiver is unavailable: ' + why
            : 'The history query was refused: ' + why);
    }
    return body;
}

/** Per day of the range: the summed logins and distinct users of its items. */
function perDay(items, from, to) {
    const days = [];
    for (let t = dayMs(from); t <= dayMs(to); t += DAY_MS) {
        days.push({ day: isoDay(t), logins: 0, users: 0 });
    }
    const index = new Map(days.map(d => [d.day, d]));
    items.forEach(item => {
        const d = index.get(item.period_start.substring(0, 10));
        if (d) {
            d.logins += item.logins;
            d.users += item.distinct_users;
        }
    });
    return days;
}

function drawChart(days) {
    const svg = byId('history-chart');
    const width = 720;
    const height = 240;
    const margin = { top: 12, right: 12, bottom: 46, left: 72 };
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const max = Math.max(1, ...days.map(d => Math.max(d.logins, d.users)));
    const yTicks = ticks(0, max, 4);
    const yMax = Math.max(max, yTicks[yTicks.length - 1]);
    const y = v => margin.top + plotH - (v / yMax) * plotH;
    const step = plotW / days.length;
    const parts = [];
    const axis = element('g', { class: 'axis' });
    yTicks.forEach(tick => axis.append(element('line', { x1: margin.left - 4, x2: width - margin.right, y1: y(tick),
        y2: y(tick) }), element('text', { x: margin.left - 7, y: y(tick) + 4, 'text-anchor': 'end' }, count(tick))));
    axis.append(element('text', { class: 'axis-title', transform: `translate(12 ${margin.top + plotH / 2}) rotate(-90)`,
        'text-anchor': 'middle' }, 'Logins per day'));
    const every = Math.max(1, Math.ceil(days.length / 8));
    days.forEach((d, i) => {
        if (i % every === 0) {
            axis.append(element('text', { x: margin.left + step * (i + 0.5), y: height - margin.bottom + 16,
                'text-anchor': 'middle' }, d.day.substring(5)));
        }
    });
    axis.append(element('text', { class: 'axis-title', x: margin.left + plotW / 2, y: height - 6,
        'text-anchor': 'middle' }, 'Day (UTC, month-day)'));
    parts.push(axis);
    days.forEach((d, i) => {
        const x = margin.left + step * i + step * 0.15;
        const label = d.day + ': ' + count(d.logins) + ' logins, ' + count(d.users) + ' distinct users';
        const bar = element('rect', { class: 'day-bar' + (d.day === choice.day ? ' chosen' : ''), x, y: y(d.logins),
            width: Math.max(1, step * 0.7), height: Math.max(0, y(0) - y(d.logins)), tabindex: '0', role: 'button',
            'data-day': d.day, 'data-logins': String(d.logins), 'data-users': String(d.users), 'aria-label': label });
        bar.append(element('title', {}, label));
        const pick = () => chooseDay(d.day, null);
        bar.addEventListener('click', pick);
        bar.addEventListener('keydown', event => {
            if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                pick();
            }
        });
        parts.push(bar);
        if (d.users > 0) {
            parts.push(element('circle', { class: 'users', cx: x + step * 0.35, cy: y(d.users), r: 4,
                'aria-hidden': 'true' }));
        }
    });
    if (days.every(d => d.logins === 0)) {
        parts.push(element('text', { class: 'empty', x: margin.left + plotW / 2, y: margin.top + plotH / 2,
            'text-anchor': 'middle' }, 'No logins archived in this range'));
    }
    svg.replaceChildren(...parts);
}

function renderDaily(days) {
    byId('daily-caption').textContent = 'Logins per day, ' + (choice.state ? nameOf(choice.state) + ' (' + choice.state + ')'
        : 'all states');
    byId('daily').tBodies[0].replaceChildren(...days.map(d => {
        const tr = document.createElement('tr');
        tr.dataset.day = d.day;
        [d.day, count(d.logins), count(d.users)].forEach((text, i) => {
            const td = document.createElement('td');
            td.textContent = text;
            if (i > 0) {
                td.className = 'num';
            }
            tr.append(td);
        });
        return tr;
    }));
}

/** The state's name, as the form's list gives it ("Texas (TX)" without " (TX)"). */
function nameOf(code) {
    const option = Array.from(byId('state').options).find(o => o.value === code);
    return option ? option.textContent.replace(/ \([A-Z]+\)$/, '') : code;
}

function periodLabel() {
    return choice.hour === null ? choice.day
        : choice.day + ' ' + String(choice.hour).padStart(2, '0') + ':00–' + String(choice.hour + 1).padStart(2, '0') + ':00';
}

function renderDay(items) {
    dayRows = new Map(items.map(item => [item.state, item]));
    const scale = quantileScale(items.filter(item => onMap(item.state)).map(item => item.logins));
    paint(paths, mapEl, dayRows, scale);
    paths.forEach((path, code) => path.classList.toggle('chosen', code === choice.state));
    renderLegend(byId('legend'), scale);
    const unknown = dayRows.get(UNKNOWN);
    byId('tile-UNK').querySelector('.tile-value').textContent = count(unknown ? unknown.logins : 0);
    byId('map-title').textContent = 'Logins per state, ' + periodLabel() + ' (UTC)';
    byId('day-caption').textContent = 'Logins per state, ' + periodLabel() + ' (UTC)';
    byId('day-logins').textContent = count(items.reduce((sum, item) => sum + item.logins, 0));
    byId('day-users').textContent = count(items.reduce((sum, item) => sum + item.distinct_users, 0));
    byId('day-states').textContent = count(items.filter(item => item.logins > 0).length);
    byId('day-table').tBodies[0].replaceChildren(...items.slice().sort((a, b) => b.logins - a.logins
        || a.state.localeCompare(b.state)).map(item => {
        const tr = document.createElement('tr');
        tr.dataset.state = item.state;
        if (item.state === choice.state) {
            tr.className = 'chosen';
        }
        [item.state, nameOf(item.state), count(item.logins), count(item.distinct_users)].forEach((text, i) => {
            const td = document.createElement('td');
            td.textContent = text;
            if (i > 1) {
                td.className = 'num';
            }
            tr.append(td);
        });
        return tr;
    }));
}

function describe(code) {
    const row = dayRows.get(code) || { logins: 0, distinct_users: 0 };
    return [nameOf(code) + ' (' + code + ')', periodLabel() + ' (UTC)', 'Logins: ' + count(row.logins),
        'Distinct users: ' + count(row.distinct_users)];
}

function showTooltip(el, event) {
    showTooltipAt(tooltip, mapEl.parentElement, el, describe(el.getAttribute('data-state')), event);
}

async function loadRange() {
    const body = await query({ from: choice.from, to: choice.to, granularity: 'day' }, choice.state);
    const days = perDay(body.items, choice.from, choice.to);
    drawChart(days);
    renderDaily(days);
}

async function loadDay() {
    const params = choice.hour === null ? { from: choice.day, to: choice.day, granularity: 'day' }
        : { from: choice.day + 'T' + String(choice.hour).padStart(2, '0') + ':00:00Z',
            to: new Date(dayMs(choice.day) + (choice.hour + 1) * 3600000).toISOString().replace('.000Z', 'Z'),
            granularity: 'hour' };
    renderDay((await query(params, '')).items);
}

async function load() {
    fillControls();
    setStatus('loading', 'reconnecting');
    showError('');
    const results = await Promise.allSettled([loadRange(), loadDay()]);
    const failed = results.filter(r => r.status === 'rejected').map(r => r.reason.message);
    showError(Array.from(new Set(failed)).join(' '));
    setStatus(failed.length ? 'unavailable' : 'loaded', failed.length ? 'stale' : 'live');
    document.body.dataset.loaded = failed.length ? 'error' : 'ok';
}

function chooseDay(day, hour) {
    choice.day = day;
    choice.hour = hour;
    writeChoice(false);
    load();
}

form.addEventListener('submit', event => {
    event.preventDefault();
    const from = byId('from').value;
    const to = byId('to').value;
    if (!validDay(from) || !validDay(to) || to < from) {
        showError('Choose a range whose first day is on or before its last day.');
        return;
    }
    choice.from = from;
    choice.to = to;
    choice.state = byId('state').value;
    if (choice.day < from || choice.day > to) {
        choice.day = to;
        choice.hour = null;
    }
    writeChoice(false);
    load();
});
byId('day').addEventListener('change', () => {
    if (validDay(byId('day').value)) {
        chooseDay(byId('day').value, choice.hour);
    }
});
byId('hour').addEventListener('change', () => {
    chooseDay(choice.day, byId('hour').value === '' ? null : Number(byId('hour').value));
});
window.addEventListener('popstate', () => {
    choice = readChoice();
    load();
});

const hourSelect = byId('hour');
for (let h = 0; h < 24; h++) {
    const option = document.createElement('option');
    option.value = String(h);
    option.textContent = String(h).padStart(2, '0') + ':00';
    hourSelect.append(option);
}
choice = readChoice();
writeChoice(true);
try {
    paths = await drawMap(mapEl, {
        select: code => {
            choice.state = code;
            writeChoice(false);
            load();
        },
        hover: showTooltip,
        leave: () => {
            tooltip.hidden = true;
        },
    });
} catch (e) {
    showError('The map cannot be drawn: ' + e.message);
}
load();
