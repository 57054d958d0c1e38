// A local substitute for jena_climate_2009_2016.csv (which jena-weather/data.js downloads), in the same format:
// a quoted header with the 15 columns of the Max Planck Institute's Jena record, then one row every 10 minutes
// from 01.01.2009 00:10:00 ("dd.mm.yyyy hh:mm:ss"). The values are synthetic: temperature = yearly and daily
// cycles + a slow AR(1) weather process + noise; the other columns follow from it (dew point, humidity, vapour
// pressures, density) or are their own AR(1) processes (pressure, wind), at the real columns' typical scales.
// usage: node make-jena-like.cjs <file> [rows=301000] [seed=1]
const fs = require('fs');

const [file, rowsArg = '301000', seedArg = '1'] = process.argv.slice(2);
if (!file) throw new Error('usage: node make-jena-like.cjs <file> [rows] [seed]');
let s = Number(seedArg) >>> 0;
const rand = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const header = ['Date Time', 'p (mbar)', 'T (degC)', 'Tpot (K)', 'Tdew (degC)', 'rh (%)', 'VPmax (mbar)', 'VPact (mbar)',
  'VPdef (mbar)', 'sh (g/kg)', 'H2OC (mmol/mol)', 'rho (g/m**3)', 'wv (m/s)', 'max. wv (m/s)', 'wd (deg)'];
const out = fs.openSync(file, 'w');
fs.writeSync(out, header.map((h) => `"${h}"`).join(',') + '\n');
const pad = (n) => String(n).padStart(2, '0');
const f = (x, d = 2) => x.toFixed(d);
let weather = 0, pressure = 0, wind = 2, spread = 5;
let lines = [];
const start = Date.UTC(2009, 0, 1, 0, 10, 0);
for (let r = 0; r < Number(rowsArg); r++) {
  const d = new Date(start + r * 600_000);
  const year = (d.getUTCMonth() * 30.4 + d.getUTCDate()) / 365;
  const day = (d.getUTCHours() * 60 + d.getUTCMinutes()) / 1440;
  weather = 0.999 * weather + 0.12 * normal();
  pressure = 0.9995 * pressure + 0.25 * normal();
  wind = Math.max(0, 0.99 * wind + 0.01 * 2 + 0.15 * normal());
  spread = Math.min(25, Math.max(0.2, 0.995 * spread + 0.025 * 5 + 0.2 * normal()));
  const T = 9.5 - 10 * Math.cos(2 * Math.PI * (year - 0.05)) - 4 * Math.cos(2 * Math.PI * (day - 0.1)) + weather + 0.15 * normal();
  const p = 989 + 8 * pressure / 3 + 0.1 * normal();
  const Tdew = T - spread;
  const es = (t) => 6.1078 * Math.exp((17.27 * t) / (t + 237.3));
  const VPmax = es(T), VPact = es(Tdew);
  const rh = Math.min(100, (100 * VPact) / VPmax);
  const sh = (622 * VPact) / (p - 0.378 * VPact);
  const date = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  lines.push([date, f(p), f(T), f(T + 273.15 + (1000 - p) * 0.0083), f(Tdew), f(rh), f(VPmax), f(VPact), f(VPmax - VPact), f(sh),
    f((1000 * VPact) / p), f((p * 100) / (287.05 * (T + 273.15)) * 1000), f(wind), f(wind * (1.5 + rand())), f(360 * rand(), 1)].join(','));
  if (lines.length === 10000) {
    fs.writeSync(out, lines.join('\n') + '\n');
    lines = [];
  }
}
if (lines.length) fs.writeSync(out, lines.join('\n') + '\n');
fs.closeSync(out);
console.log(`wrote ${rowsArg} rows to ${file}`);
