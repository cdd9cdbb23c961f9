// Number and time formatting shared by the dashboard's modules.
export function count(n) {
    return Number(n).toLocaleString('en-US');
}

/** Logins per second, to one decimal place below 100/s. */
export function rate(perSecond) {
    return perSecond >= 100 ? count(Math.round(perSecond)) : perSecond.toFixed(1);
}

/** HH:MM:SS of an ISO-8601 instant (UTC). */
export function clock(iso) {
    return iso ? iso.substring(11, 19) : '';
}

/** Seconds between two ISO-8601 instants; the window length of a stats record. */
export function seconds(fromIso, toIso) {
    return (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
}
