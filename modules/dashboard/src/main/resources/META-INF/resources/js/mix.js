// The state panel's mix: device types, app versions and top IPs of the state's last full window, from the
// "insights" of GET /api/states/{code}. Each list comes with a max_error: 0 when its counts are exact; otherwise a
// count (an upper bound) may be that many logins above the true one, and min_logins is what the value surely had: then
// only IPs surely seen more than once are shown, as "sure–counted".
import { clock, count } from './format.js';

/** Fills the panel's mix tables from an insights record, or empties them (null). */
export function renderMix(root, insights) {
    const note = root.querySelector('.panel-mix-window');
    if (!insights) {
        note.textContent = 'Device types, app versions and IPs of its last full window: none yet.';
        root.querySelectorAll('.panel-mix-table tbody').forEach(body => body.replaceChildren());
        return;
    }
    note.textContent = 'Its last full window, ' + clock(insights.window_start) + ' – ' + clock(insights.window_end)
        + ' UTC: ' + count(insights.logins) + ' logins.';
    root.querySelectorAll('.panel-mix-table').forEach(table => {
        const ranking = insights[table.dataset.list] || { top: [], max_error: 0 };
        const exact = ranking.max_error === 0;
        // IPs: with a bounded summary only those counted above the error stand out for sure
        const entries = table.dataset.list === 'ips' && !exact
            ? ranking.top.filter(entry => entry.min_logins > 1) : ranking.top;
        const caption = table.querySelector('caption');
        caption.textContent = caption.textContent.replace(/ \(.*\)$/, '')
            + (exact ? '' : ' (counts ± ' + count(ranking.max_error) + ')');
        const rows = entries.map(entry => row(entry.value, entry.min_logins === entry.logins ? count(entry.logins)
            : count(entry.min_logins) + '–' + count(entry.logins)));
        if (rows.length === 0) {
            rows.push(row(table.dataset.list === 'ips' && !exact
                ? 'No IP surely seen twice (counts ± ' + count(ranking.max_error) + ')' : 'None', ''));
        }
        table.querySelector('tbody').replaceChildren(...rows);
    });
}

function row(label, value) {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = label;
    const figure = document.createElement('td');
    figure.className = 'num';
    figure.textContent = value;
    tr.append(name, figure);
    return tr;
}
