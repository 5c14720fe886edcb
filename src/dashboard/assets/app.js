// costwatch dashboard: reads /api/report, /api/alarms and /api/health and draws them as inline
// SVG and tables. No framework, no build step. Amounts arrive as exact decimal strings; sums
// shown to people are computed here with BigInt (exact), never with floating point, which is
// only used to place bars and lines.

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = 9; // series s0..s8 get their own colour; s9 is "other"
const $ = (id) => document.getElementById(id);

// --- Exact decimals --------------------------------------------------------------------------

function parseDecimal(text) {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(String(text).trim());
  if (!match || (match[2] === "" && !match[3])) throw new Error(`not a decimal amount: ${text}`);
  const fraction = match[3] || "";
  let value = BigInt((match[2] || "0") + fraction);
  if (match[1] === "-") value = -value;
  return { value, scale: fraction.length };
}

function decimalText(value, scale) {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return (negative ? "-" : "") + digits;
}

// The exact sum of decimal strings, as a decimal string.
export function sumDecimals(texts) {
  const parsed = texts.map(parseDecimal);
  const scale = Math.max(0, ...parsed.map((d) => d.scale));
  let total = 0n;
  for (const d of parsed) total += d.value * 10n ** BigInt(scale - d.scale);
  return decimalText(total, scale);
}

// Rounded half away from zero to `places` decimals, as the server's Decimal::ToFixed does.
export function toFixed(text, places) {
  const { value, scale } = parseDecimal(text);
  if (scale <= places) return decimalText(value * 10n ** BigInt(places - scale), places);
  const divisor = 10n ** BigInt(scale - places);
  const magnitude = value < 0n ? -value : value;
  let rounded = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) rounded += 1n;
  return decimalText(value < 0n ? -rounded : rounded, places);
}

// "1234.5" in USD -> "$1,234.50"; other units as "1,234.50 EUR".
export function money(text, unit = "USD") {
  if (text === null || text === undefined || text === "") return "–";
  let fixed = toFixed(text, 2);
  const negative = fixed.startsWith("-");
  if (negative) fixed = fixed.slice(1);
  const [whole, cents] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const body = unit === "USD" ? `$${grouped}.${cents}` : `${grouped}.${cents} ${unit}`;
  return (negative ? "-" : "") + body;
}

function signedMoney(text, unit) {
  const shown = money(text, unit);
  return shown.startsWith("-") || toFixed(text, 2) === "0.00" ? shown : `+${shown}`;
}

function percent(text) {
  if (text === null || text === undefined) return "new";
  return `${text.startsWith("-") ? "" : "+"}${text}%`;
}

function changeClass(text) {
  if (!text || toFixed(text, 2) === "0.00") return "";
  return text.startsWith("-") ? "down" : "up";
}

// --- DOM helpers ---------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function table(node, caption, headings, rows) {
  node.replaceChildren();
  if (caption) node.append(el("caption", { text: caption }));
  node.append(el("thead", {}, el("tr", {}, ...headings.map((h) =>
    el("th", { scope: "col", class: h.num ? "num" : null, text: h.text ?? h })))));
  node.append(el("tbody", {}, ...rows));
}

function cell(text, attributes = {}) {
  return el("td", { text, ...attributes });
}

function time(iso) {
  if (!iso) return "never";
  return iso.replace("T", " ").replace(/:\d\dZ$/, " UTC");
}

// A round step for an axis up to `max`, about `ticks` lines.
function niceStep(max, ticks) {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 2.5, 5, 10]) if (raw <= factor * power) return factor * power;
  return 10 * power;
}

// An axis label (not a figure of the bill): $1.5k, $2M.
function tick(value, unit) {
  const [scaled, suffix] = value >= 1e6 ? [value / 1e6, "M"] : value >= 1e3 ? [value / 1e3, "k"] : [value, ""];
  const text = `${Number(scaled.toFixed(2))}${suffix}`;
  return unit === "USD" ? `$${text}` : `${text} ${unit}`;
}

function axis(chart, width, height, margin, max, unit) {
  const step = niceStep(max, 5);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const group = svg("g", { "aria-hidden": "true" });
  for (let value = 0; value <= top + step / 2; value += step) {
    const y = margin.top + (height - margin.top - margin.bottom) * (1 - value / top);
    group.append(svg("line", { class: "grid", x1: margin.left, x2: width - margin.right, y1: y, y2: y }));
    group.append(svg("text", { x: margin.left - 6, y: y + 4, "text-anchor": "end",
      text: tick(value, unit) }));
  }
  chart.append(group);
  return (value) => margin.top + (height - margin.top - margin.bottom) * (1 - value / top);
}

function dayLabels(chart, days, x, band, baseline) {
  const every = Math.ceil(days.length / 12);
  const group = svg("g", { "aria-hidden": "true" });
  days.forEach((day, index) => {
    if (index % every !== 0) return;
    group.append(svg("text", { x: x(index) + band / 2, y: baseline + 16, "text-anchor": "middle",
      text: day.slice(5) }));
  });
  chart.append(group);
}

// A label that fits beside the plot.
function short(text, length = 18) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function newChart(figure, width, height, title, description) {
  const id = figure.id;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-labelledby": `${id}-t ${id}-d` });
  chart.append(svg("title", { id: `${id}-t`, text: title }));
  chart.append(svg("desc", { id: `${id}-d`, text: description }));
  figure.replaceChildren(chart);
  return chart;
}

// --- Series: the largest groups, the rest as "other" ---------------------------------------

function series(report) {
  const shown = report.groups.slice(0, COLOURS);
  const rest = report.groups.slice(COLOURS);
  const list = shown.map((group, index) => ({ name: group.name || group.key, daily: group.daily,
    css: `s${index}` }));
  if (rest.length > 0) {
    list.push({ name: `${rest.length} other${rest.length === 1 ? "" : "s"}`, css: "s9",
      daily: report.days.map((_, day) => sumDecimals(rest.map((group) => group.daily[day]))) });
  }
  return list;
}

function dayTotals(report) {
  return report.days.map((_, day) => sumDecimals(["0", ...report.groups.map((g) => g.daily[day])]));
}

// --- Daily stacked bars ----------------------------------------------------------------------

function drawDaily(report) {
  const width = 960, height = 300;
  const margin = { top: 10, right: 10, bottom: 28, left: 64 };
  const list = series(report);
  const totals = dayTotals(report);
  const byName = { service: "service", account: "account" }[report.by] ?? report.by.replace(/^tag:/, "tag ");
  $("daily-title").textContent = `Daily cost by ${byName}`;
  const chart = newChart($("daily-chart"), width, height,
    `Daily ${report.metric} by ${byName}, ${report.from} to ${report.to} (exclusive)`,
    `Stacked bars, one per day; the table below holds every figure. Total ${money(report.total.amount, report.unit)}.`);
  const max = Math.max(0, ...totals.map(Number));
  const y = axis(chart, width, height, margin, max || 1, report.unit);
  const plot = width - margin.left - margin.right;
  const band = plot / Math.max(1, report.days.length);
  const x = (index) => margin.left + index * band;
  report.days.forEach((day, index) => {
    const bar = svg("g", { class: "day" });
    bar.append(svg("title", { text: `${day}: ${money(totals[index], report.unit)}` }));
    let base = 0;
    for (const s of list) {
      const value = Number(s.daily[index]);
      if (!(value > 0)) continue;
      const top = y(base + value), bottom = y(base);
      bar.append(svg("rect", { class: s.css, x: x(index) + band * 0.1, width: band * 0.8,
        y: top, height: Math.max(0, bottom - top) },
        svg("title", { text: `${day} · ${s.name}: ${money(s.daily[index], report.unit)}` })));
      base += value;
    }
    chart.append(bar);
  });
  dayLabels(chart, report.days, x, band, height - margin.bottom);

  $("daily-legend").replaceChildren(...list.map((s) =>
    el("li", {}, el("span", { class: `swatch ${s.css}`, "aria-hidden": "true" }), s.name)));
  table($("daily-table"), null, [{ text: "Day" }, ...list.map((s) => ({ text: s.name, num: true })),
    { text: "Total", num: true }],
  report.days.map((day, index) => el("tr", {}, el("th", { scope: "row", text: day }),
    ...list.map((s) => cell(money(s.daily[index], report.unit), { class: "num" })),
    cell(money(totals[index], report.unit), { class: "num", "data-amount": totals[index] }))));
}

// Every day of a YYYY-MM month.
function monthDays(month) {
  const days = [];
  const day = new Date(`${month}-01T00:00:00Z`);
  while (day.toISOString().startsWith(month)) {
    days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

// --- Month to date against thresholds and forecast -----------------------------------------

function drawMonthToDate(report, alarmsByRule) {
  const width = 960, height = 260;
  const margin = { top: 14, right: 190, bottom: 28, left: 64 };
  const totals = dayTotals(report);
  const cumulative = [];
  let running = "0";
  for (const total of totals) {
    running = sumDecimals([running, total]);
    cumulative.push(running);
  }
  // A month's axis runs to its last day, where the forecast is, even while the month runs.
  const axisDays = report.month ? monthDays(report.month) : report.days;
  // Thresholds of rules that compare the period's spend (not a day's spike).
  const thresholds = report.alarms.filter((alarm) => {
    const kind = alarmsByRule.get(alarm.rule)?.kind;
    return alarm.threshold && kind !== "spike";
  });
  const forecast = report.forecast;
  const spend = [...cumulative.map(Number)];
  if (forecast) spend.push(Number(forecast.amount), Number(forecast.upper ?? 0));
  // A threshold far above the spend would flatten the line: it is marked at the top instead.
  const reach = Math.max(...spend, 0) * 2 || Infinity;
  const values = [...spend, ...thresholds.map((a) => Number(a.threshold)).filter((t) => t <= reach)];
  const chart = newChart($("mtd-chart"), width, height,
    `Cumulative ${report.metric} from ${report.from}, with ${thresholds.length} alarm threshold(s)` +
      (forecast ? " and the month-end forecast" : ""),
    `Cumulative spend ${money(report.total.amount, report.unit)}` +
      (forecast ? `; forecast ${money(forecast.amount, report.unit)} (${forecast.kind})` : "") + ".");
  const y = axis(chart, width, height, margin, Math.max(1, ...values), report.unit);
  const plot = width - margin.left - margin.right;
  const band = plot / Math.max(1, axisDays.length);
  const x = (index) => margin.left + index * band + band / 2;
  const points = cumulative.map((value, index) => `${x(index)},${y(Number(value))}`).join(" ");
  chart.append(svg("polyline", { class: "cumulative", points },
    svg("title", { text: `Month to date ${money(report.total.amount, report.unit)}` })));
  cumulative.forEach((value, index) => chart.append(svg("circle", { cx: x(index), cy: y(Number(value)),
    r: 3, class: "forecast-point" }, svg("title", { text: `${report.days[index]}: ${money(value, report.unit)}` }))));
  if (forecast && cumulative.length > 0) {
    const end = x(axisDays.length - 1);
    chart.append(svg("line", { class: "forecast", x1: x(cumulative.length - 1),
      y1: y(Number(cumulative[cumulative.length - 1])), x2: end, y2: y(Number(forecast.amount)) }));
    chart.append(svg("circle", { class: "forecast-point", cx: end, cy: y(Number(forecast.amount)), r: 5 },
      svg("title", { text: `Forecast ${money(forecast.amount, report.unit)} (${forecast.kind})` })));
    chart.append(svg("text", { class: "label", x: end + 8, y: y(Number(forecast.amount)) + 4,
      text: `forecast ${money(forecast.amount, report.unit)}` }));
  }
  for (const alarm of thresholds) {
    const above = Number(alarm.threshold) > reach;
    const at = above ? margin.top : y(Number(alarm.threshold));
    const name = (above ? "↑ " : "") + (alarm.alarm ? `${alarm.rule} ${alarm.alarm}` : alarm.rule);
    chart.append(svg("line", { class: `threshold ${alarm.state === "ALARM" ? "" : "ok"} ${above ? "above" : ""}`,
      x1: margin.left, x2: width - margin.right, y1: at, y2: at },
    svg("title", { text: `${name}: ${money(alarm.threshold, alarm.unit)} (${alarm.state})` })));
    chart.append(svg("text", { class: "label", x: width - margin.right + 8, y: at + 4,
      text: `${short(name)} ${money(alarm.threshold, alarm.unit)}` }));
  }
  dayLabels(chart, axisDays, (i) => margin.left + i * band, band, height - margin.bottom);

  table($("mtd-table"), null, [{ text: "Day" }, { text: "Day total", num: true },
    { text: "Cumulative", num: true }],
  cumulative.map((value, index) => el("tr", {}, el("th", { scope: "row", text: report.days[index] }),
    cell(money(totals[index], report.unit), { class: "num" }),
    cell(money(value, report.unit), { class: "num", "data-amount": value }))));
}

// --- Tables ----------------------------------------------------------------------------------

function drawGroups(report) {
  const name = report.by === "service" ? "Service" : report.by === "account" ? "Account" : report.by;
  table($("groups-table"), `${report.from} to ${report.to} (exclusive)`,
    [{ text: name }, { text: "Amount", num: true }, { text: "Share", num: true },
      { text: "Change", num: true }],
    report.groups.map((group) => el("tr", { "data-key": group.key, "data-amount": group.amount },
      el("th", { scope: "row", text: group.name || group.key }),
      cell(money(group.amount, report.unit), { class: "num amount" }),
      cell(group.share === null ? "–" : `${group.share}%`, { class: "num" }),
      cell(percent(group.changePercent), { class: `num ${changeClass(group.change)}` }))));
}

function drawMovers(report) {
  const movers = report.groups
    .filter((group) => toFixed(group.change, 2) !== "0.00")
    .map((group) => ({ group, size: parseDecimal(group.change) }))
    .sort((a, b) => {
      const scale = Math.max(a.size.scale, b.size.scale);
      const abs = (d) => (d.value < 0n ? -d.value : d.value) * 10n ** BigInt(scale - d.scale);
      const left = abs(a.size), right = abs(b.size);
      return left === right ? 0 : left > right ? -1 : 1;
    })
    .slice(0, 10)
    .map((entry) => entry.group);
  $("movers-title").textContent = report.month ? "Top movers against the same days of last month"
    : "Top movers against as many days before";
  table($("movers-table"), movers.length ? null : "No changes.",
    [{ text: "Name" }, { text: "Now", num: true }, { text: "Before", num: true },
      { text: "Change", num: true }],
    movers.map((group) => el("tr", { "data-key": group.key },
      el("th", { scope: "row", text: group.name || group.key }),
      cell(money(group.amount, report.unit), { class: "num" }),
      cell(money(group.previous, report.unit), { class: "num" }),
      cell(`${signedMoney(group.change, report.unit)} (${percent(group.changePercent)})`,
        { class: `num ${changeClass(group.change)}` }))));
}

function drawSummary(report) {
  const whole = report.month && report.from.endsWith("-01");
  $("total-title").textContent = whole ? `Total ${report.month}` : `Total ${report.from} – ${report.to}`;
  const total = $("total-amount");
  total.textContent = money(report.total.amount, report.unit);
  total.dataset.amount = report.total.amount;
  const change = $("total-change");
  change.textContent = `${signedMoney(report.total.change, report.unit)} (${percent(report.changePercent)}) ` +
    `against ${money(report.total.previous, report.unit)} ${report.month ? "on the same days of last month" : "on as many days before"}`;
  change.className = `sub ${changeClass(report.total.change)}`;
  const forecast = $("forecast-amount");
  if (report.forecast) {
    forecast.textContent = money(report.forecast.amount, report.unit);
    forecast.dataset.amount = report.forecast.amount;
    $("forecast-kind").textContent = report.forecast.kind === "cost-explorer"
      ? `Cost Explorer${report.forecast.lower ? `, ${money(report.forecast.lower, report.unit)} – ${money(report.forecast.upper, report.unit)}` : ""}`
      : "run rate of the month so far";
  } else {
    forecast.textContent = "–";
    $("forecast-kind").textContent = "no forecast for this range";
  }
  $("notes").replaceChildren(...(report.notes || []).map((note) => el("li", { text: note })));
}

function drawAlarms(answer) {
  const list = $("alarm-list");
  const items = [];
  let alarming = 0, total = 0;
  for (const rule of answer.rules) {
    const alarms = rule.alarms.length ? rule.alarms : [null];
    for (const alarm of alarms) {
      total += 1;
      const state = alarm ? alarm.state : "NOT_EVALUATED";
      if (state === "ALARM") alarming += 1;
      const title = alarm && alarm.alarm ? `${rule.name} · ${alarm.alarm}` : rule.name;
      const history = alarm ? alarm.history : [];
      items.push(el("li", { "data-rule": rule.name, "data-alarm": alarm ? alarm.alarm : "", "data-state": state },
        el("strong", { text: title }), " ",
        el("span", { class: `state ${state}`, text: state.replaceAll("_", " ") }), " ",
        el("span", { class: "muted", text: `${rule.kind || "removed rule"}${alarm ? ` · ${money(alarm.amount, alarm.unit)} of ${money(alarm.threshold, alarm.unit)} · since ${time(alarm.since)}` : " · not evaluated yet"}` }),
        alarm ? el("p", { class: "reason", text: alarm.reason }) : null,
        history.length ? el("details", {}, el("summary", { text: `State history (${history.length})` }),
          el("ol", {}, ...history.map((change) => el("li", {
            text: `${time(change.at)}: ${change.from} → ${change.to} at ${money(change.amount, change.unit)} (threshold ${money(change.threshold, change.unit)})` })))) : null));
    }
  }
  list.replaceChildren(...(items.length ? items : [el("li", { class: "muted", text: "No alarm rules are configured." })]));
  $("alarm-count").textContent = total ? `${alarming} of ${total} in ALARM` : "none";
  $("alarm-detail").textContent = total ? `${answer.rules.length} rule(s)` : "configure alarms: in costwatch.yaml";
}

function drawHealth(health) {
  table($("sinks-table"), "Sinks and notifiers",
    [{ text: "Name" }, { text: "Kind" }, { text: "Outbox", num: true }, { text: "Dead letters", num: true },
      { text: "Delivered", num: true }, { text: "Last delivery" }, { text: "Last error" }],
    health.sinks.map((sink) => el("tr", { "data-sink": sink.name, "data-kind": sink.kind },
      el("th", { scope: "row", text: sink.name + (sink.configured ? "" : " (not configured)") }),
      cell(sink.kind),
      cell(String(sink.outboxDepth), { class: "num outbox" }),
      cell(String(sink.deadLetters), { class: `num dead ${sink.deadLetters ? "up" : ""}` }),
      cell(String(sink.delivered), { class: "num delivered" }),
      cell(time(sink.lastDelivery)),
      cell(sink.lastError ? `${time(sink.lastErrorAt)}: ${sink.lastError}` : "–"))));
  table($("sources-table"), "Sources",
    [{ text: "Source" }, { text: "Last successful fetch" }, { text: "Window" }, { text: "Fetches", num: true },
      { text: "Rows", num: true }],
    health.sources.map((source) => el("tr", { "data-source": source.name },
      el("th", { scope: "row", text: source.name }),
      cell(time(source.lastFetch)),
      cell(source.windowStart ? `${source.windowStart} – ${source.windowEnd}` : "–"),
      cell(String(source.fetches), { class: "num" }),
      cell(String(source.rows), { class: "num" }))));
  const paid = health.paidRequests;
  $("paid-month").textContent = `${paid.thisMonth} · ${money(paid.monthCost, paid.unit)}`;
  $("paid-month").dataset.requests = paid.thisMonth;
  $("paid-today").textContent = `today ${paid.today} · ${money(paid.todayCost, paid.unit)}`;
  $("generated").textContent = `Read at ${time(health.generatedAt)}.`;
  const sources = $("source");
  if (sources.options.length === 0 && health.sources.length > 1) {
    sources.replaceChildren(...health.sources.filter((s) => s.configured).map((s) =>
      el("option", { value: s.name, text: s.name })));
    $("source-label").hidden = false;
  }
}

// --- Loading ---------------------------------------------------------------------------------

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ error: `${url}: HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.error || `${url}: HTTP ${response.status}`);
  return body;
}

function reportUrl() {
  const params = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams();
  for (const key of ["month", "from", "to", "by", "source"]) {
    if (params.get(key)) query.set(key, params.get(key));
  }
  return `/api/report?${query}`;
}

function showError(error) {
  const box = $("error");
  box.textContent = error ? String(error.message || error) : "";
  box.hidden = !error;
}

async function load() {
  const main = document.querySelector("main");
  main.setAttribute("aria-busy", "true");
  document.body.dataset.loaded = "false";
  try {
    const [health, alarms] = await Promise.all([getJson("/api/health"), getJson("/api/alarms")]);
    drawHealth(health);
    drawAlarms(alarms);
    const alarmsByRule = new Map(alarms.rules.map((rule) => [rule.name, rule]));
    const report = await getJson(reportUrl());
    syncControls(report);
    drawSummary(report);
    drawDaily(report);
    drawMonthToDate(report, alarmsByRule);
    drawGroups(report);
    drawMovers(report);
    showError(null);
  } catch (error) {
    showError(error);
  } finally {
    main.setAttribute("aria-busy", "false");
    document.body.dataset.loaded = "true";
  }
}

function syncControls(report) {
  $("month").value = report.month || report.from.slice(0, 7);
  $("from").value = report.from;
  $("to").value = report.to;
  const tag = report.by.startsWith("tag:");
  $("by").value = tag ? "tag" : report.by;
  $("tag-label").hidden = !tag;
  if (tag) $("tag").value = report.by.slice(4);
  if (report.source && $("source").options.length) $("source").value = report.source;
}

function navigate(change) {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const [key, value] of Object.entries(change)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  location.hash = params.toString();
}

function byValue() {
  if ($("by").value !== "tag") return $("by").value;
  const key = $("tag").value.trim();
  return key ? `tag:${key}` : null;
}

$("month").addEventListener("change", () => navigate({ month: $("month").value, from: null, to: null }));
$("apply-range").addEventListener("click", () =>
  navigate({ month: null, from: $("from").value, to: $("to").value }));
$("by").addEventListener("change", () => {
  $("tag-label").hidden = $("by").value !== "tag";
  if (byValue()) navigate({ by: byValue() });
});
$("tag").addEventListener("change", () => { if (byValue()) navigate({ by: byValue() }); });
$("source").addEventListener("change", () => navigate({ source: $("source").value }));
$("controls").addEventListener("submit", (event) => event.preventDefault());
window.addEventListener("hashchange", load);
load();
