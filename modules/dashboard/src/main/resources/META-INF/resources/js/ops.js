// login-pulse operations view: a snapshot of the cluster every second over /ws/ops; reconnects with backoff.
// Every level is written as text (OK, WARN, CRITICAL) as well as coloured. All text is set with textContent.
import { clock, count } from './format.js';
import { openLiveSocket } from './live-socket.js';

const byId = id => document.getElementById(id);
const statusEl = byId('status');

function levelBadge(level, text) {
    const span = document.createElement('span');
    span.className = 'level ' + level;
    span.textContent = text || level.toUpperCase();
    return span;
}

function cell(content, cls) {
    const td = document.createElement('td');
    if (cls) {
        td.className = cls;
    }
    if (content instanceof Node) {
        td.append(content);
    } else {
        td.textContent = content;
    }
    return td;
}

function fill(tableId, rows, key) {
    byId(tableId).querySelector('tbody').replaceChildren(...rows.map(row => {
        const tr = document.createElement('tr');
        tr.className = row.level;
        if (key) {
            Object.entries(key(row)).forEach(([name, value]) => tr.setAttribute('data-' + name, value));
        }
        tr.append(...row.cells);
        return tr;
    }));
}

function perSecond(rate) {
    return rate === null || rate === undefined ? '–' : rate >= 100 ? count(Math.round(rate)) : rate.toFixed(1);
}

function partitions(list, level) {
    return list.length === 0 ? 'none' : levelBadge(level, list.length + ' (partition ' + list.join(', ') + ')');
}

function duration(seconds) {
    if (seconds === null || seconds === undefined) {
        return '–';
    }
    const s = Math.floor(seconds);
    return s >= 3600 ? Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min'
        : s >= 60 ? Math.floor(s / 60) + ' min ' + s % 60 + ' s' : s + ' s';
}

function megabytes(bytes) {
    return bytes === null || bytes === undefined ? '–' : count(Math.round(bytes / 1048576)) + ' MiB';
}

function render(ops) {
    const overall = byId('overall');
    overall.replaceChildren(levelBadge(ops.level));
    byId('brokers-up').textContent = ops.brokers_up + ' of ' + ops.brokers.length;
    byId('brokers-up').className = 'value level ' + (ops.brokers_up < ops.brokers.length ? 'critical' : 'ok');
    byId('active-controller').textContent = ops.active_controller >= 0 ? 'node ' + ops.active_controller : 'none';
    byId('under-replicated').replaceChildren(levelBadge(ops.under_replicated > 0 ? 'warn' : 'ok',
        String(ops.under_replicated)));
    byId('offline').replaceChildren(levelBadge(ops.offline > 0 ? 'critical' : 'ok', String(ops.offline)));
    byId('sampled-at').textContent = clock(ops.sampled_at);
    const error = byId('ops-error');
    error.hidden = !ops.error;
    error.textContent = ops.error ? 'Incomplete sample: ' + ops.error : '';

    fill('brokers', ops.brokers.map(b => ({ level: b.level, id: b.id, cells: [cell('node ' + b.id),
        cell(b.host || '–'), cell(levelBadge(b.level, b.up ? 'up' : 'DOWN')),
        cell([b.active_controller ? 'active controller' : null, b.voter ? 'voter' : null, 'broker']
            .filter(Boolean).join(', '))] })), row => ({ node: row.id, up: row.level === 'ok' }));
    const services = ops.services.length > 0 ? ops.services : [{ level: 'none', name: 'none configured',
        up: true, uptime_seconds: null, heap_used_bytes: null }];
    fill('services', services.map(s => ({ level: s.level, name: s.name, cells: [cell(s.name),
        cell(s.level === 'none' ? '–' : levelBadge(s.level, s.up ? 'up' : 'DOWN' + (s.error ? ' (' + s.error + ')' : ''))),
        cell(duration(s.uptime_seconds), 'num'), cell(megabytes(s.heap_used_bytes), 'num')] })),
        row => ({ service: row.name }));
    fill('topics', ops.topics.map(t => ({ level: t.level, topic: t.topic, cells: [cell(t.topic),
        cell(count(t.partitions), 'num'), cell(count(t.end_offset), 'num'), cell(perSecond(t.produce_rate), 'num'),
        cell(partitions(t.under_replicated_partitions, 'warn')), cell(partitions(t.offline_partitions, 'critical')),
        cell(levelBadge(t.level))] })), row => ({ topic: row.topic }));
    // A row per group and topic it committed offsets of; a group without any, one row saying so.
    fill('groups', ops.groups.flatMap(g => (g.topics.length > 0 ? g.topics : [null]).map(t => ({
        level: t ? t.level : g.level, group: g.group, topic: t ? t.topic : '', cells: [cell(g.group),
            cell(t ? t.topic : 'no committed offsets'), cell(t ? count(t.lag) : '–', 'num'),
            cell(t ? perSecond(t.consume_rate) : '–', 'num'), cell(levelBadge(t ? t.level : g.level))] }))),
        row => ({ group: row.group, topic: row.topic }));
    fill('partition-lag', ops.groups.flatMap(g => g.partitions.map(p => ({ level: p.level, cells: [cell(g.group),
        cell(p.topic + '-' + p.partition), cell(count(p.committed), 'num'),
        cell(p.end_offset === null ? '–' : count(p.end_offset), 'num'),
        cell(p.lag === null ? '–' : count(p.lag), 'num'), cell(levelBadge(p.level))] }))));
}

openLiveSocket('/ws/ops', statusEl, message => {
    if (message.type !== 'snapshot') {
        return false;
    }
    render(message.ops);
    return true;
}, { staleWhileConnected: true });
