// The dashboard's tables: top 10 states, all states (the map's table alternative), devices, app versions and IPs.
// All text from the stream is set with textContent: a hostile value never becomes HTML.
import { clock, count, rate } from './format.js';

const byId = id => document.getElementById(id);

function cell(text, numeric) {
    const td = document.createElement('td');
    td.textContent = text;
    if (numeric) {
        td.className = 'num';
    }
    return td;
}

function emptyRow(columns, text) {
    const tr = document.createElement('tr');
    const td = cell(text);
    td.colSpan = columns;
    td.className = 'empty';
    tr.append(td);
    return tr;
}

export function renderStateTables(stats, windowSeconds) {
    const perSecond = row => rate(windowSeconds > 0 ? row.logins / windowSeconds : 0);
    const top = stats.states.filter(row => row.state !== 'UNK')
        .sort((a, b) => b.logins - a.logins || b.total_logins - a.total_logins).slice(0, 10);
    byId('top10').querySelector('tbody').replaceChildren(...(top.length ? top.map(row => {
        const tr = document.createElement('tr');
        tr.dataset.state = row.state;
        tr.append(cell(row.name + ' (' + row.state + ')'), cell(count(row.logins), true), cell(perSecond(row), true),
            cell(count(row.total_logins), true));
        return tr;
    }) : [emptyRow(4, 'no logins yet')]));
    const all = stats.states.slice().sort((a, b) => b.total_logins - a.total_logins);
    byId('states').querySelector('tbody').replaceChildren(...all.map(row => {
        const tr = document.createElement('tr');
        tr.dataset.state = row.state;
        tr.append(cell(row.state), cell(row.name), cell(count(row.logins), true), cell(perSecond(row), true),
            cell(count(row.unique_users), true), cell(count(row.total_logins), true));
        return tr;
    }));
}

export function renderInsights(insights) {
    const mixBody = byId('device-mix').querySelector('tbody');
    const versionsBody = byId('app-versions').querySelector('tbody');
    const ipsBody = byId('top-ips').querySelector('tbody');
    if (!insights) {
        byId('insights-window').textContent = 'Devices and IPs of all states: no data yet';
        [mixBody, versionsBody, ipsBody].forEach(body => body.replaceChildren(emptyRow(3, 'no data yet')));
        return;
    }
    byId('insights-window').textContent = 'Devices and IPs of all states in the window '
        + clock(insights.window_start) + ' – ' + clock(insights.window_end) + ' (UTC)';
    byId('distinct-devices').textContent = '≈ ' + count(insights.distinct_devices);
    byId('distinct-devices').title = 'HyperLogLog estimate, relative standard error '
        + (insights.distinct_devices_rse * 100).toFixed(1) + ' %';
    byId('distinct-ips').textContent = count(insights.distinct_ips);
    byId('ips-over-threshold').textContent = count(insights.ips_over_threshold);
    byId('ip-alert').textContent = 'IPs with the most logins in the window; flagged above '
        + count(insights.alert_threshold) + ' logins.';

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
        tr.append(cell(device), cell(count(logins), true), share);
        return tr;
    }) : [emptyRow(3, 'no logins')]));

    const versions = [];
    Object.entries(insights.app_versions).forEach(([device, byVersion]) => {
        Object.entries(byVersion).forEach(([version, logins]) => versions.push([device, version, logins]));
    });
    versions.sort((a, b) => a[0].localeCompare(b[0]) || b[2] - a[2]);
    versionsBody.replaceChildren(...(versions.length ? versions.map(([device, version, logins]) => {
        const tr = document.createElement('tr');
        tr.append(cell(device), cell(version), cell(count(logins), true));
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
        tr.append(cell(ip.ip), cell(count(ip.logins), true), flag);
        return tr;
    }) : [emptyRow(3, 'no logins')]));
}
