// Builds the sink a config entry describes. This is the one place that lists the sink types.
#pragma once

#include <memory>

#include "sinks/sink.h"
#include "sinks/sink_options.h"
#include "util/result.h"

namespace costwatch::sinks {

// Checks the options and builds the sink (opening files, but sending nothing). Errors name the
// sink and the option, never a header value.
Result<std::unique_ptr<Sink>> MakeSink(const SinkConfig& config);

}  // namespace costwatch::sinks
