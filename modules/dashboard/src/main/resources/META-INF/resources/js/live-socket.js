// A WebSocket to this page's own origin that stays open: it reconnects after a close with jittered exponential
// backoff (0.5 s doubling up to 10 s) and keeps a status element saying whether the figures are live, reconnecting,
// or stale (no figures for 5 s). Shared by the live page (/ws/stats) and the operations view (/ws/ops).

const STALE_AFTER_MS = 5000;

/**
 * Opens the socket at `path` and keeps it open.
 * - `statusEl`: gets the text 'live', 'reconnecting' or 'stale since hh:mm:ss' and the class 'status <state>'.
 * - `onMessage(message)`: each parsed JSON message; returns true when the message carried figures (what staleness
 *   measures).
 * - `staleWhileConnected`: also stale when connected but silent (a view that expects a message every second);
 *   otherwise only a closed socket goes stale.
 */
export function openLiveSocket(path, statusEl, onMessage, { staleWhileConnected = false } = {}) {
    let connected = false;
    let retryMs = 500;
    let lastMessageAt = null;

    const setStatus = (text, cls) => {
        statusEl.textContent = text;
        statusEl.className = 'status ' + cls;
    };

    function connect() {
        const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        const socket = new WebSocket(scheme + location.host + path);
        socket.onopen = () => {
            connected = true;
            retryMs = 500;
            setStatus('live', 'live');
        };
        socket.onmessage = event => {
            if (onMessage(JSON.parse(event.data))) {
                lastMessageAt = new Date();
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
        const silent = lastMessageAt && Date.now() - lastMessageAt.getTime() > STALE_AFTER_MS;
        if (silent && (staleWhileConnected || !connected)) {
            setStatus('stale since ' + lastMessageAt.toTimeString().substring(0, 8)
                + (connected ? '' : ', reconnecting'), 'stale');
        } else if (staleWhileConnected && connected && lastMessageAt) {
            setStatus('live', 'live');
        }
    }, 1000);

    connect();
}
