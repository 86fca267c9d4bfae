// How the page writes energy, power, money, times and durations: the same everywhere (no DOM, so tested in Node).
const sameYear = (d) => d.getFullYear() === new Date().getFullYear();
export const fmt = {
  kw: (w) => (w == null ? '–' : `${(Number(w) / 1000).toFixed(1)} kW`),
  kwh: (wh) => (wh == null ? '–' : `${(Number(wh) / 1000).toFixed(2)} kWh`),
  /** Minor units (cents) as major units with the currency: 4250, 'EUR' -> "42.50 EUR". */
  money: (minor, currency) => (minor == null ? '–' : `${(Number(minor) / 100).toFixed(2)} ${currency || ''}`.trim()),
  /** With the day, so "yesterday 18:00" is not read as today: "Wed 2 Dec, 19:45:12". */
  time: (iso) => {
    if (!iso) return '–';
    const d = new Date(iso);
    return d.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: sameYear(d) ? undefined : 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  },
  day: (iso) => (iso ? new Date(iso).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }) : '–'),
  /** The time alone when it is today; another day's time carries its day ("since 18:00" was yesterday). */
  clock: (iso) => {
    if (!iso) return '–';
    const d = new Date(iso);
    return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : fmt.time(iso);
  },
  /** A length of time: "45 min", "2 h 05 min". */
  duration: (ms) => {
    if (ms == null || !Number.isFinite(ms)) return '–';
    const min = Math.max(0, Math.floor(ms / 60000));
    return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
  },
};
