#include "sinks/sink_factory.h"

#include <variant>

#include "sinks/file/file_sink.h"
#include "sinks/http/http_sink.h"
#include "sinks/kafka/kafka_sink.h"
#include "sinks/stdout/stdout_sink.h"

namespace costwatch::sinks {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// Needed by clang (not GCC) for C++20 aggregate deduction.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

template <class T>
Result<std::unique_ptr<Sink>> Upcast(Result<std::unique_ptr<T>> made) {
  if (!made.ok()) return made.error();
  return std::unique_ptr<Sink>(std::move(*made));
}

}  // namespace

Result<std::unique_ptr<Sink>> MakeSink(const SinkConfig& config) {
  if (config.name.empty()) return Fail("a sink needs a name");
  // The registration list: one line per sink type. A new type adds its options to SinkOptions
  // (sink_options.h) and a line here; the compiler refuses a type without one.
  return std::visit(
      Overloaded{
          [&](const StdoutSinkOptions&) -> Result<std::unique_ptr<Sink>> {
            return std::unique_ptr<Sink>(std::make_unique<StdoutSink>(config.name));
          },
          [&](const FileSinkOptions& o) { return Upcast(FileSink::Create(config.name, o)); },
          [&](const HttpSinkOptions& o) { return Upcast(HttpSink::Create(config.name, o)); },
          [&](const KafkaSinkOptions& o) { return Upcast(KafkaSink::Create(config.name, o)); },
      },
      config.options);
}

}  // namespace costwatch::sinks
