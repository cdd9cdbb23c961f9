// login-pulse dashboard: a snapshot on connect, then updates over /ws/stats; reconnects with backoff.
// All text from the stream is set with textContent: a hostile value never becomes HTML.
(function () {
    'use strict';

    const SVG = 'http://www.w3.org/2000/svg';
    // Viridis, 7 classes: perceptually uniform and colour-blind safe. Zero logins: neutral grey.
    const PALETTE = ['#fde725', '#90d743', '#35b779', '#21918c', '#31688e', '#443983', '#440154'];
    const ZERO = '#e5e7eb';
    const STALE_AFTER_MS = 5000;

    const byId = id => document.getElementById(id);
    const statusEl = byId('status');
    const tooltip = byId('tooltip');
    const mapEl = byId('map');
    let stats = null;
    let lastMessageAt = null;
    let connected = false;
    let retryMs = 500;
    const totals = []; // [time ms, total_logins] for events per second

    function setStatus(text, cls) {
        statusEl.textContent = text;
        statusEl.className = 'status ' + cls;
    }

    function fmt(n) {
        return Number(n).toLocaleString('en-US');
    }

    function rowsByState() {
        const rows = new Map();
        (stats ? stats.states : []).forEach(row => rows.set(row.state, row));
        return rows;
    }

    function classOf(logins, max) {
        if (!logins || logins <= 0 || max <= 0) {
            return -1;
        }
        return Math.min(PALETTE.length - 1, Math.floor((logins / max) * PALETTE.length - 1e-9));
    }

    function buildMap() {
        const map = window.loginPulseMaps && window.loginPulseMaps.usa_en;
        if (!map) {
            return;
        }
        Object.keys(map.paths).sort().forEach(key => {
            const shape = map.paths[key];
            const path = document.createElementNS(SVG, 'path');
            path.setAttribute('d', shape.path);
            path.setAttribute('data-state', key.toUpperCase());
            path.setAttribute('data-name', shape.name);
            path.setAttribute('tabindex', '0');
            path.setAttribute('role', 'img');
            path.setAttribute('fill', ZERO);
            path.addEventListener('mouseenter', event => showTooltip(path, event));
            path.addEventListener('mousemove', event => showTooltip(path, event));
            path.addEventListener('mouseleave', hideTooltip);
            path.addEventListener('focus', () => showTooltip(path));
            path.addEventListener('blur', hideTooltip);
            mapEl.appendChild(path);
        });
        ['tile-PR', 'tile-UNK'].forEach(id => {
            const tile = byId(id);
            tile.addEventListener('mouseenter', () => showTooltip(tile));
            tile.addEventListener('mouseleave', hideTooltip);
            tile.addEventListener('focus', () => showTooltip(tile));
            tile.addEventListener('blur', hideTooltip);
        });
    }

    function describe(code, name) {
        const row = rowsByState().get(code) || { logins: 0, unique_users: 0, total_logins: 0, late_logins: 0 };
        const lines = [name + ' (' + code + ')',
            'Logins in window: ' + fmt(row.logins),
            'Distinct users in window: ' + fmt(row.unique_users),
            'Total since start: ' + fmt(row.total_logins)];
        if (row.late_logins > 0) {
            lines.push('Late (in the total, in no window): ' + fmt(row.late_logins));
        }
        return lines;
    }

    function showTooltip(el, event) {
        const code = el.getAttribute('data-state');
        const name = el.getAttribute('data-name') || (code === 'PR' ? 'Puerto Rico' : 'Unknown locale');
        tooltip.replaceChildren(...describe(code, name).map((line, i) => {
            const div = document.createElement(i === 0 ? 'strong' : 'div');
            div.textContent = line;
            return div;
        }));
        tooltip.dataset.state = code;
        const box = el.getBoundingClientRect();
        const card = mapEl.parentElement.getBoundingClientRect();
        const x = event ? event.clientX : box.left + box.width / 2;
        const y = event ? event.clientY : box.top + box.height / 2;
        tooltip.hidden = false;
        const left = x - card.left + 12;
        const flip = left + tooltip.offsetWidth > card.width;
        tooltip.style.left = (flip ? x - card.left - 12 - tooltip.offsetWidth : left) + 'px';
        tooltip.style.top = (y - card.top + 12) + 'px';
    }

    function hideTooltip() {
        tooltip.hidden = true;
    }

    function renderMap(rows, max) {
        mapEl.querySelectorAll('path[data-state]').forEach(path => {
            const code = path.getAttribute('data-state');
            const row = rows.get(code);
            const logins = row ? row.logins : 0;
            const cls = classOf(logins, max);
            path.setAttribute('fill', cls < 0 ? ZERO : PALETTE[cls]);
            path.setAttribute('aria-label', path.getAttribute('data-name') + ': ' + fmt(logins)
                + ' logins in the window, ' + fmt(row ? row.total_logins : 0) + ' in total');
        });
        ['PR', 'UNK'].forEach(code => {
            const tile = byId('tile-' + code);
            const row = rows.get(code);
            const logins = row ? row.logins : 0;
            const cls = classOf(logins, max);
            tile.style.background = cls < 0 ? ZERO : PALETTE[cls];
            tile.style.color = cls >= 3 ? '#ffffff' : '#111827';
            tile.querySelector('.tile-value').textContent = ' ' + fmt(logins) + ' / ' + fmt(row ? row.total_logins : 0);
        });
        if (!tooltip.hidden && tooltip.dataset.state) {
            const el = mapEl.querySelector('path[data-state="' + tooltip.dataset.state + '"]')
                || byId('tile-' + tooltip.dataset.state);
            if (el) {
                showTooltip(el);
            }
        }
    }

    function renderLegend(max) {
        const legend = byId('legend');
        const items = [{ color: ZERO, text: '0' }];
        PALETTE.forEach((color, i) => {
            const from = Math.floor((i / PALETTE.length) * max) + 1;
            const to = Math.floor(((i + 1) / PALETTE.length) * max);
            if (max > 0 && to >= from) {
                items.push({ color, text: from === to ? fmt(from) : fmt(from) + '–' + fmt(to) });
            }
        });
        legend.replaceChildren(...items.map(item => {
            const span = document.createElement('span');
            span.className = 'legend-item';
            const swatch = document.createElement('i');
            swatch.style.background = item.color;
            span.append(swatch, document.createTextNode(item.text));
            return span;
        }));
    }

    function cell(text, numeric) {
        const td = document.createElement('td');
        td.textContent = text;
        if (numeric) {
            td.className = 'num';
        }
        return td;
    }

    function renderTables() {
        const states = stats.states.filter(row => row.state !== 'UNK');
        const top = states.slice().sort((a, b) => b.logins - a.logins || b.total_logins - a.total_logins)
            .slice(0, 10);
        byId('top10').querySelector('tbody').replaceChildren(...top.map(row => {
            const tr = document.createElement('tr');
            tr.dataset.state = row.state;
            tr.append(cell(row.name + ' (' + row.state + ')'), cell(fmt(row.logins), true),
                cell(fmt(row.total_logins), true));
            return tr;
        }));
        const all = stats.states.slice().sort((a, b) => b.total_logins - a.total_logins);
        byId('states').querySelector('tbody').replaceChildren(...all.map(row => {
            const tr = document.createElement('tr');
            tr.dataset.state = row.state;
            tr.append(cell(row.state), cell(row.name), cell(fmt(row.logins), true), cell(fmt(row.unique_users), true),
                cell(fmt(row.total_logins), true));
            return tr;
        }));
    }

    function renderSeries() {
        const svg = byId('series');
        const points = stats.series;
        const max = Math.max(1, ...points.map(p => p.logins));
        const width = 400;
        const height = 120;
        const step = points.length > 1 ? width / (points.length - 1) : 0;
        const line = document.createElementNS(SVG, 'polyline');
        line.setAttribute('fill', 'none');
        line.setAttribute('stroke', '#31688e');
        line.setAttribute('stroke-width', '2');
        line.setAttribute('points', points.map((p, i) =>
            (i * step).toFixed(1) + ',' + (height - 4 - (p.logins / max) * (height - 8)).toFixed(1)).join(' '));
        const title = document.createElementNS(SVG, 'title');
        title.textContent = points.length ? 'Latest window: ' + fmt(points[points.length - 1].logins) + ' logins'
            : 'No data yet';
        const dots = points.map((p, i) => {
            const dot = document.createElementNS(SVG, 'circle');
            dot.setAttribute('cx', (points.length > 1 ? i * step : width / 2).toFixed(1));
            dot.setAttribute('cy', (height - 4 - (p.logins / max) * (height - 8)).toFixed(1));
            dot.setAttribute('r', '2.5');
            dot.setAttribute('fill', '#31688e');
            return dot;
        });
        svg.replaceChildren(title, line, ...dots);
    }

    function renderCounters() {
        byId('total-logins').textContent = fmt(stats.total_logins);
        byId('window-logins').textContent = fmt(stats.window_logins);
        byId('dead-lettered').textContent = fmt(stats.dead_lettered);
        byId('dropped-records').textContent = fmt(stats.dropped_records);
        byId('dropped-records').parentElement.title = 'Records on user-login-clean that cannot come from the cleaner: '
            + (Object.entries(stats.dropped_by_reason || {}).map(([reason, n]) => reason + ' ' + fmt(n)).join(', ')
                || 'none');
        byId('late-logins').textContent = fmt(stats.late_logins);
        byId('active-states').textContent = stats.states.filter(s => s.logins > 0).length;
        byId('window').textContent = stats.window_start
            ? stats.window_start.substring(11, 19) + ' – ' + stats.window_end.substring(11, 19) : 'no data yet';
        const now = Date.now();
        totals.push([now, stats.total_logins]);
        while (totals.length > 2 && now - totals[0][0] > 10000) {
            totals.shift();
        }
        const [t0, v0] = totals[0];
        byId('events-per-second').textContent = now - t0 >= 1000
            ? fmt(Math.max(0, Math.round((stats.total_logins - v0) * 1000 / (now - t0)))) : '–';
    }

    function emptyRow(columns, text) {
        const tr = document.createElement('tr');
        const td = cell(text);
        td.colSpan = columns;
        td.className = 'empty';
        tr.append(td);
        return tr;
    }

    function renderInsights() {
        const insights = stats.insights;
        const mixBody = byId('device-mix').querySelector('tbody');
        const versionsBody = byId('app-versions').querySelector('tbody');
        const ipsBody = byId('top-ips').querySelector('tbody');
        if (!insights) {
            byId('insights-window').textContent = 'Devices and IPs of all states: no data yet';
            mixBody.replaceChildren(emptyRow(3, 'no data yet'));
            versionsBody.replaceChildren(emptyRow(3, 'no data yet'));
            ipsBody.replaceChildren(emptyRow(3, 'no data yet'));
            return;
        }
        byId('insights-window').textContent = 'Devices and IPs of all states in the window '
            + insights.window_start.substring(11, 19) + ' – ' + insights.window_end.substring(11, 19) + ' (UTC)';
        byId('distinct-devices').textContent = '≈ ' + fmt(insights.distinct_devices);
        byId('distinct-devices').title = 'HyperLogLog estimate, relative standard error '
            + (insights.distinct_devices_rse * 100).toFixed(1) + ' %';
        byId('distinct-ips').textContent = fmt(insights.distinct_ips);
        byId('ips-over-threshold').textContent = fmt(insights.ips_over_threshold);
        byId('ip-alert').textContent = 'IPs with the most logins in the window; flagged above '
            + fmt(insights.alert_threshold) + ' logins.';

        const devices = Object.entries(insights.device_types);
        if (insights.other_device_logins > 0) {
            devices.push(['(other device types)', insights.other_device_logins]);
        }
        const total = Math.max(1, insights.logins);
        mixBody.replaceChildren(...(devices.length ? devices.map(([device, logins]) => {
            const tr = document.createElement('tr');
            tr.dataset.device = device;
            const share = cell((logins * 100 / total).toFixed(1) + ' %', true);
            const bar = document.createElement('span');
            bar.className = 'bar';
            bar.style.width = Math.round(logins * 60 / total) + 'px';
            share.prepend(bar);
            tr.append(cell(device), cell(fmt(logins), true), share);
            return tr;
        }) : [emptyRow(3, 'no logins')]));

        const versions = [];
        Object.entries(insights.app_versions).forEach(([device, byVersion]) => {
            Object.entries(byVersion).forEach(([version, logins]) => versions.push([device, version, logins]));
        });
        versions.sort((a, b) => a[0].localeCompare(b[0]) || b[2] - a[2]);
        versionsBody.replaceChildren(...(versions.length ? versions.map(([device, version, logins]) => {
            const tr = document.createElement('tr');
            tr.append(cell(device), cell(version), cell(fmt(logins), true));
            return tr;
        }) : [emptyRow(3, 'no logins')]));

        ipsBody.replaceChildren(...(insights.top_ips.length ? insights.top_ips.map(ip => {
            const tr = document.createElement('tr');
            tr.dataset.ip = ip.ip;
            if (ip.flagged) {
                tr.className = 'flagged';
            }
            const flag = cell(ip.flagged ? 'over threshold' : '');
            if (ip.flagged) {
                flag.className = 'flag';
            }
            tr.append(cell(ip.ip), cell(fmt(ip.logins), true), flag);
            return tr;
        }) : [emptyRow(3, 'no logins')]));
    }

    function render() {
        const rows = rowsByState();
        const max = Math.max(0, ...stats.states.map(s => s.logins));
        renderCounters();
        renderMap(rows, max);
        renderLegend(max);
        renderTables();
        renderSeries();
        renderInsights();
    }

    function connect() {
        const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        const socket = new WebSocket(scheme + location.host + '/ws/stats');
        socket.onopen = () => {
            connected = true;
            retryMs = 500;
            setStatus('live', 'live');
        };
        socket.onmessage = event => {
            const message = JSON.parse(event.data);
            if (message.type === 'snapshot' || message.type === 'update') {
                lastMessageAt = new Date();
                stats = message.stats;
                render();
            }
        };
        socket.onclose = () => {
            connected = false;
            setStatus('reconnecting', 'reconnecting');
            const delay = retryMs + Math.floor(Math.random() * 250);
            retryMs = Math.min(retryMs * 2, 10000);
            setTimeout(connect, delay);
        };
    }

    setInterval(() => {
        if (!connected && lastMessageAt && Date.now() - lastMessageAt.getTime() > STALE_AFTER_MS) {
            setStatus('stale since ' + lastMessageAt.toTimeString().substring(0, 8) + ', reconnecting', 'stale');
        }
    }, 1000);

    buildMap();
    connect();
})();
