// Test-only: decodes Kafka records with the official CloudEvents JavaScript SDK's Kafka binding,
// an implementation independent of costwatch. Reads kcat's JSON lines (`kcat -C -J`: headers as
// a flat [name, value, ...] array, key, payload) on stdin and prints one JSON line per record:
// {"topic", "partition", "key", "event": the decoded CloudEvent} or {"error": "..."}.
"use strict";

const readline = require("readline");
const { Kafka } = require("cloudevents");

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const record = JSON.parse(line);
  const headers = {};
  const flat = record.headers || [];
  for (let i = 0; i + 1 < flat.length; i += 2) headers[flat[i]] = flat[i + 1];
  let out;
  try {
    const event = Kafka.toEvent({ key: record.key, headers, value: record.payload,
                                  body: record.payload });
    out = { topic: record.topic, partition: record.partition, key: record.key,
            event: event.toJSON() };
  } catch (error) {
    out = { topic: record.topic, error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
