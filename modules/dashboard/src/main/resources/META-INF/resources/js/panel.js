// The state panel: opened by clicking a state (or Enter / Space on it), closed by its button or Escape, focus
// returning to the state. It shows the state's figures in the current window, its windows of the last 15 minutes and
// the device types, app versions and top IPs of its last full window (GET /api/states/{code} of the dashboard, fetched
// when it opens and at most once a second while it is open).
import { clock, count, rate } from './format.js';
import { renderMix } from './mix.js';

const REFRESH_MS = 1000;

export class StatePanel {
    constructor(root) {
        this.root = root;
        this.code = null;
        this.opener = null;
        this.windows = [];
        this.fetchedAt = 0;
        root.querySelector('.panel-close').addEventListener('click', () => this.close());
        root.addEventListener('keydown', event => {
            if (event.key === 'Escape') {
                this.close();
            }
        });
    }

    /** Fetches the open state's windows, unless that was done less than a second ago. */
    refresh(force) {
        const code = this.code;
        if (!code || (!force && Date.now() - this.fetchedAt < REFRESH_MS)) {
            return;
        }
        this.fetchedAt = Date.now();
        fetch('/api/states/' + encodeURIComponent(code))
            .then(response => (response.ok ? response.json() : Promise.reject(new Error('HTTP ' + response.status))))
            .then(history => {
                if (history.state === this.code) {
                    this.windows = history.windows;
                    this.renderWindows();
                    renderMix(this.root, history.insights);
                }
            })
            .catch(error => {
                this.root.querySelector('.panel-windows caption').textContent = 'Windows unavailable: '
                    + error.message;
            });
    }

    open(code, opener) {
        this.code = code;
        this.opener = opener || document.activeElement;
        this.root.hidden = false;
        this.root.dataset.state = code;
        this.root.querySelector('.panel-title').focus();
        this.windows = [];
        this.renderWindows();
        renderMix(this.root, null);
        this.refresh(true);
    }

    close() {
        if (this.root.hidden) {
            return;
        }
        this.root.hidden = true;
        this.code = null;
        if (this.opener && typeof this.opener.focus === 'function') {
            this.opener.focus();
        }
    }

    /** Fills the panel from the latest stats (nothing to do while it is closed). */
    render(stats, name, windowSeconds) {
        if (!this.code) {
            return;
        }
        const row = stats.states.find(s => s.state === this.code)
            || { logins: 0, unique_users: 0, total_logins: 0, late_logins: 0 };
        const ranked = stats.states.filter(s => s.state !== 'UNK' && s.logins > 0)
            .sort((a, b) => b.logins - a.logins);
        const rank = ranked.findIndex(s => s.state === this.code);
        this.root.querySelector('.panel-title').textContent = name + ' (' + this.code + ')';
        const figures = [
            ['Logins in the window', count(row.logins)],
            ['Logins per second', rate(windowSeconds > 0 ? row.logins / windowSeconds : 0)],
            ['Distinct users in the window', count(row.unique_users)],
            ['Share of the window\'s logins', stats.window_logins > 0
                ? (row.logins * 100 / stats.window_logins).toFixed(1) + ' %' : '–'],
            ['Rank among the states', rank >= 0 ? (rank + 1) + ' of ' + ranked.length : '–'],
            ['Total since start', count(row.total_logins)],
            ['Late (in the total, in no window)', count(row.late_logins)],
        ];
        this.root.querySelector('.panel-figures').replaceChildren(...figures.flatMap(([label, value]) => {
            const dt = document.createElement('dt');
            dt.textContent = label;
            const dd = document.createElement('dd');
            dd.textContent = value;
            return [dt, dd];
        }));
        this.refresh(false);
    }

    renderWindows() {
        this.root.querySelector('.panel-windows caption').textContent = 'Its windows of the last 15 minutes';
        this.root.querySelector('.panel-windows tbody').replaceChildren(...this.windows.map(window => {
            const tr = document.createElement('tr');
            [clock(window.window_start), count(window.logins), count(window.unique_users)].forEach((text, i) => {
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
}
