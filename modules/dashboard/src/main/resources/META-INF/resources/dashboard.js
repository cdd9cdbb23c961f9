// Keeps the dashboard live: a snapshot on connect, then updates over /ws/stats; reconnects with backoff.
(function () {
    'use strict';

    const statusEl = document.getElementById('status');
    let retryMs = 500;

    function setStatus(text, cls) {
        statusEl.textContent = text;
        statusEl.className = 'status ' + cls;
    }

    function cell(text, numeric) {
        const td = document.createElement('td');
        td.textContent = text;
        if (numeric) {
            td.className = 'num';
        }
        return td;
    }

    function render(stats) {
        document.getElementById('total-logins').textContent = stats.total_logins;
        document.getElementById('window-logins').textContent = stats.window_logins;
        document.getElementById('active-states').textContent = stats.states.length;
        document.getElementById('window').textContent = stats.window_start
            ? stats.window_start + ' – ' + stats.window_end : 'no data yet';
        const body = document.querySelector('#states tbody');
        const rows = stats.states.slice().sort((a, b) => b.total_logins - a.total_logins);
        body.replaceChildren(...rows.map(row => {
            const tr = document.createElement('tr');
            tr.dataset.state = row.state;
            tr.append(cell(row.state), cell(row.name), cell(row.logins, true), cell(row.unique_users, true),
                cell(row.total_logins, true));
            return tr;
        }));
    }

    function connect() {
        const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        const socket = new WebSocket(scheme + location.host + '/ws/stats');
        socket.onopen = () => {
            retryMs = 500;
            setStatus('live', 'live');
        };
        socket.onmessage = event => {
            const message = JSON.parse(event.data);
            if (message.type === 'snapshot' || message.type === 'update') {
                render(message.stats);
            }
        };
        socket.onclose = () => {
            setStatus('reconnecting', 'reconnecting');
            setTimeout(connect, retryMs);
            retryMs = Math.min(retryMs * 2, 10000);
        };
    }

    connect();
})();
