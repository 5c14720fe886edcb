// Test-only CloudEvents HTTP receiver built on the official CloudEvents JavaScript SDK, used by
// tests/integration/test_sinks_receiver.py as an independent peer for costwatch's HTTP sink.
//
//   node receiver.js --port 0 --out events.jsonl [--port-file F] [--require-header 'Name: v']
//   node receiver.js --decode-cases percent-encoding-cases.json   (checks decodeHeaderValue)
//
// Every request is parsed with HTTP.toEvent() and validated by the SDK; each event is then
// appended to --out as one JSON line {"mode", "attributes", "data"}. Binary-mode ce- header
// values are percent-decoded here first (HTTP binding §3.1.3.2), because the SDK does not do
// it. Without the --require-header header the answer is 401. A request that fails to parse or validate gets 400 and is recorded as {"error": ...}.
//
// Fault injection, for the sinks' outcome tests: POST /control with a JSON body
//   {"status": 500, "retryAfter": "7", "delayMs": 3000, "count": 1}
// answers the next `count` event requests (default: all until the next /control) with that
// status, Retry-After header and delay. {"status": 0} or {} restores normal service.
"use strict";

const fs = require("fs");
const http = require("http");
const { HTTP, ValidationError } = require("cloudevents");

// §3.1.3.2 decoding: unescape an RFC 7230 quoted-string first, then one round of
// percent-decoding; the bytes must be valid UTF-8 (overlong forms included) or it is refused.
function decodeHeaderValue(raw) {
  let value = raw;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    let out = "";
    for (let i = 1; i < value.length - 1; i++) {
      if (value[i] === "\\" && i + 1 < value.length - 1) i++;
      out += value[i];
    }
    value = out;
  }
  const bytes = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "%") {
      const hex = value.slice(i + 1, i + 3);
      // Malformed escapes ("%4", "%zz") are not specified; this receiver refuses them.
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new ValidationError(`bad percent-escape in ${raw}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = c.charCodeAt(0);
      if (code > 0x7f) throw new ValidationError("non-ASCII header value");
      bytes.push(code);
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (e) {
    throw new ValidationError(`invalid UTF-8 in ${raw}`);
  }
}

function parseArgs(argv) {
  const args = { port: 0, out: null, portFile: null, decodeCases: null, requireHeader: null };
  for (let i = 2; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i];
    if (flag === "--port") args.port = Number(next());
    else if (flag === "--out") args.out = next();
    else if (flag === "--port-file") args.portFile = next();
    else if (flag === "--decode-cases") args.decodeCases = next();
    else if (flag === "--require-header") {
      const h = next();
      const colon = h.indexOf(":");
      args.requireHeader = { name: h.slice(0, colon).trim().toLowerCase(), value: h.slice(colon + 1).trim() };
    }
    else throw new Error(`unknown flag ${flag}`);
  }
  return args;
}

function runDecodeCases(file) {
  const cases = JSON.parse(fs.readFileSync(file, "utf8")).decode;
  let failures = 0;
  for (const c of cases) {
    let got;
    try {
      got = { value: decodeHeaderValue(c.header) };
    } catch (e) {
      got = { error: true };
    }
    const ok = c.error ? got.error === true : got.value === c.value;
    if (!ok) failures++;
    console.log(`${ok ? "ok  " : "FAIL"} ${JSON.stringify(c.header)} -> ${JSON.stringify(got)}`);
  }
  console.log(`${cases.length - failures}/${cases.length} decode cases pass`);
  process.exit(failures === 0 ? 0 : 1);
}

function modeOf(headers) {
  const type = headers["content-type"] || "";
  if (type.startsWith("application/cloudevents-batch+json")) return "batch";
  if (type.startsWith("application/cloudevents+json")) return "structured";
  return "binary";
}

// What the test compares: every attribute the SDK produced, and the data.
function record(event, mode) {
  const attributes = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === "data" || key === "data_base64" || value === undefined) continue;
    attributes[key] = key === "time" ? new Date(value).toISOString() : value;
  }
  return { mode, attributes, data: event.data };
}

function main() {
  const args = parseArgs(process.argv);
  if (args.decodeCases) return runDecodeCases(args.decodeCases);
  if (!args.out) throw new Error("--out is required");
  const out = fs.openSync(args.out, "a");
  let fault = null; // {status, retryAfter, delayMs, count}
  const write = (obj) => fs.writeSync(out, JSON.stringify(obj) + "\n");

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      if (req.url === "/control") {
        const f = raw.length ? JSON.parse(raw.toString("utf8")) : {};
        fault = f.status || f.delayMs ? f : null;
        res.writeHead(204).end();
        return;
      }
      // The fault in force when the request arrived, counted down per request.
      const current = fault;
      if (current && current.count !== undefined && --current.count <= 0) fault = null;
      const handle = () => {
        if (current && current.status) {
          const headers = current.retryAfter ? { "Retry-After": String(current.retryAfter) } : {};
          res.writeHead(current.status, headers).end(`injected ${current.status}`);
          write({ injected: current.status });
          return;
        }
        const required = args.requireHeader;
        if (required && req.headers[required.name] !== required.value) {
          res.writeHead(401, { "Content-Type": "text/plain" }).end(`missing or wrong ${required.name}`);
          return;
        }
        try {
          const mode = modeOf(req.headers);
          let body;
          try {
            body = new TextDecoder("utf-8", { fatal: true }).decode(raw);
          } catch (e) {
            throw new ValidationError("body is not UTF-8");
          }
          const headers = { ...req.headers };
          if (mode === "binary") {
            for (const name of Object.keys(headers)) {
              if (name.startsWith("ce-")) headers[name] = decodeHeaderValue(headers[name]);
            }
          }
          const parsed = HTTP.toEvent({ headers, body });
          const events = Array.isArray(parsed) ? parsed : [parsed];
          // toEvent() skips validation for single events (it builds them non-strict).
          for (const e of events) e.validate();
          for (const e of events) write(record(e, mode));
          res.writeHead(202).end();
        } catch (e) {
          write({ error: String(e && e.message ? e.message : e), errors: e && e.errors });
          res.writeHead(400, { "Content-Type": "text/plain" }).end(`invalid CloudEvent: ${e.message}`);
        }
      };
      if (current && current.delayMs) setTimeout(handle, current.delayMs);
      else handle();
    });
  });
  server.keepAliveTimeout = 30000;
  server.listen(args.port, "127.0.0.1", () => {
    const port = server.address().port;
    if (args.portFile) fs.writeFileSync(args.portFile, String(port));
    console.log(`receiver listening on 127.0.0.1:${port}`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

main();
