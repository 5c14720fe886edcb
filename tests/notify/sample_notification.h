// A notification that exercises every member: non-ASCII, JSON and HTML specials, a forecast.
#pragma once

#include "notify/notifier.h"

namespace costwatch::notify::testing {

inline Notification SampleNotification() {
  Notification n;
  n.id = "5c1f0e4b9a7d4e2f8b3a6c9d0e1f2a3b";
  n.rule = "monthly-10usd";
  n.kind = "month_to_date";
  n.previous_state = "OK";
  n.state = "ALARM";
  n.title = "ALARM: monthly-10usd, month-to-date 12.40 USD >= 10 USD";
  n.reason = "Month-to-date spend 12.40 USD crossed the threshold 10 USD <\"&'>.";
  n.scope = "all services";
  n.amount = "12.40";
  n.threshold = "10";
  n.unit = "USD";
  n.period_start = "2026-11-01";
  n.period_end = "2026-12-01";
  n.forecast = "15.75";
  n.top = {{"Amazon Elastic Compute Cloud - Compute", "8.10"},
           {"Amazon Relational Database Service \u2014 caf\u00e9", "3.20"},
           {"Tab\tand\nnewline \"quoted\" \\ 日本語 😀", "0.0000001"}};
  n.time = "2026-11-29T16:50:10Z";
  return n;
}

}  // namespace costwatch::notify::testing
