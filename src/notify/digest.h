// A scheduled cost digest as every notifier receives it: the figures of one period, computed
// from the state database (src/digests/), as exact decimal strings in `unit`'s currency.
// docs/digests.md describes each kind and its figures.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace costwatch::notify {

// One headline figure ("Yesterday", "Last 7 days", "Month to date", a forecast) and, when
// there is one, the same figure of the period it is compared with.
struct DigestFigure {
  std::string label;                    // "Yesterday (2026-11-28)"
  std::string amount;                   // exact decimal
  std::optional<std::string> previous;  // exact decimal of the comparison period
  std::string compared_with;            // "the day before", "same days last month"; "" if none
  std::string note;                     // "run-rate projection", "Cost Explorer forecast", ""
};

// One service, account or tag value: its spend in the period and in the comparison period.
struct DigestGroup {
  std::string name;
  std::string amount;                   // exact decimal
  std::optional<std::string> previous;  // exact decimal; nullopt: not compared
};

struct Digest {
  std::string id;            // stable: the same digest and period always have the same id
  std::string digest;        // the digest's name in the config
  std::string kind;          // daily, weekly, monthly
  std::string title;         // one line: "AWS costs of 2026-11-28: 123.45 USD (+4.2%)"
  std::string source;        // the config's source
  std::string metric;        // UnblendedCost, ...
  std::string group_by;      // service, account, tag:KEY
  std::string unit;          // USD
  std::string period_start;  // YYYY-MM-DD, inclusive: the period the digest is about
  std::string period_end;    // YYYY-MM-DD, exclusive

  std::vector<DigestFigure> figures;  // the headline figures, net of credits and refunds
  std::string spend;                  // the period's costs without credits and refunds
  std::string credits;                // negative or 0: credits of the period
  std::string refunds;                // negative or 0: refunds of the period
  std::vector<DigestGroup> top;       // biggest groups by spend, biggest first
  std::optional<DigestGroup> rest;    // the other groups summed ("41 other services")
  std::vector<DigestGroup> movers;    // biggest changes against the comparison period
  std::string link;                   // monthly: the console's bills page; else ""
  std::vector<std::string> notes;     // sentences: estimated figures, missing days
  std::string time;                   // RFC 3339 UTC, when it was computed
};

}  // namespace costwatch::notify
