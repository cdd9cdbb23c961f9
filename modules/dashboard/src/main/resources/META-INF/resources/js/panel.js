// The state panel: opened by clicking a state (or Enter / Space on it), closed by its button or Escape, focus
// returning to the state. It shows the state's figures in the current window and the windows this page has seen for
// it since it was opened (the pipeline's window history of one state is not on the stream).
import { clock, count, rate } from './format.js';

const HISTORY = 15;

export class StatePanel {
    constructor(root) {
        this.root = root;
        this.code = null;
        this.opener = null;
        this.history = new Map(); // code -> Map(window_start -> logins)
        root.querySelector('.panel-close').addEventListener('click', () => this.close());
        root.addEventListener('keydown', event => {
            if (event.key === 'Escape') {
                this.close();
            }
        });
    }

    /** Records each state's current window; called with every snapshot and update. */
    remember(stats) {
        if (!stats.window_start) {
            return;
        }
        stats.states.forEach(row => {
            const windows = this.history.get(row.state) || new Map();
            windows.set(stats.window_start, row.logins);
            while (windows.size > HISTORY) {
                windows.delete(windows.keys().next().value);
            }
            this.history.set(row.state, windows);
        });
    }

    open(code, opener) {
        this.code = code;
        this.opener = opener || document.activeElement;
        this.root.hidden = false;
        this.root.dataset.state = code;
        this.root.querySelector('.panel-title').focus();
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
        const windows = Array.from((this.history.get(this.code) || new Map()).entries()).reverse();
        this.root.querySelector('.panel-windows tbody').replaceChildren(...windows.map(([start, logins]) => {
            const tr = document.createElement('tr');
            const when = document.createElement('td');
            when.textContent = clock(start);
            const value = document.createElement('td');
            value.className = 'num';
            value.textContent = count(logins);
            tr.append(when, value);
            return tr;
        }));
    }
}
