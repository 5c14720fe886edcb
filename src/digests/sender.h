// The daemon's side of digests: read a digest's figures from the state database (no Cost
// Explorer request) and queue it, once per period, through the outbox to its notifiers.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "digests/digest.h"
#include "digests/schedule.h"
#include "store/state_store.h"
#include "util/result.h"

namespace costwatch::digests {

// What a digest needs to know of its source.
struct SourceInfo {
  std::string granularity = "DAILY";  // how its rows are stored
  std::string filter_json;            // the source's filter, part of a forecast's key
};

// The figures of `config` for `plan`, read from `store`: the stored rows, whether AWS still
// estimates some of them, and the forecast an alarm bought today for the source's whole scope
// (else the digest projects the run rate). `now` is when it is computed.
Result<notify::Digest> ReadDigest(store::StateStore& store, const DigestConfig& config,
                                  const SourceInfo& source, const DigestPlan& plan,
                                  Clock::time_point now);

// Whether the source has been pulled through the end of the plan's period.
Result<bool> Pulled(store::StateStore& store, const DigestConfig& config, const DigestPlan& plan);

// The outbox messages a digest becomes: its notifiers' queues, amazon.billing.digest events.
using DigestRouter =
    std::function<std::vector<store::QueuedMessage>(const DigestConfig&, const notify::Digest&)>;

class DigestSender {
 public:
  DigestSender(store::StateStore& store, std::vector<DigestConfig> digests,
               std::map<std::string, SourceInfo> sources, DigestRouter router)
      : store_(store),
        digests_(std::move(digests)),
        sources_(std::move(sources)),
        router_(std::move(router)) {}

  struct Report {
    std::vector<std::string> queued;   // "daily-costs for 2026-11-28 to 2 notifiers"
    std::vector<std::string> waiting;  // said once per period: the source is not pulled yet
    std::vector<std::string> errors;
  };

  // Queues every digest whose latest slot has passed and whose period is not recorded yet.
  // A digest whose source has not been pulled through its period waits (and is said once).
  Report send_due(Clock::time_point now);

  // The earliest next slot of any digest (nullopt without digests).
  [[nodiscard]] std::optional<Clock::time_point> next_slot(Clock::time_point now) const;

  [[nodiscard]] bool empty() const { return digests_.empty(); }

 private:
  store::StateStore& store_;
  std::vector<DigestConfig> digests_;
  std::map<std::string, SourceInfo> sources_;
  DigestRouter router_;
  std::set<std::string> said_waiting_;
};

}  // namespace costwatch::digests
