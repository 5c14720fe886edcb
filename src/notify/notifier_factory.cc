#include "notify/notifier_factory.h"

#include <variant>

#include "notify/email/email_notifier.h"
#include "notify/slack/slack_notifier.h"
#include "notify/teams/teams_notifier.h"
#include "notify/webhook/webhook_notifier.h"

namespace costwatch::notify {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// Needed by clang (not GCC) for C++20 aggregate deduction.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

template <class T>
Result<std::unique_ptr<Notifier>> Upcast(Result<std::unique_ptr<T>> made) {
  if (!made.ok()) return made.error();
  return std::unique_ptr<Notifier>(std::move(*made));
}

template <class Builder, class Options>
Result<std::unique_ptr<Notifier>> ByEngine(const Builder& builder, std::string_view type,
                                           const std::string& name, const Options& options) {
  if (!builder) {
    return Fail("notifier " + name + ": type " + std::string(type) +
                " is built by the alarm engine, not by MakeNotifier");
  }
  return builder(name, options);
}

}  // namespace

bool BuiltByEngine(const NotifierConfig& config) {
  return std::holds_alternative<CloudEventOptions>(config.options) ||
         std::holds_alternative<SnsOptions>(config.options);
}

Result<std::unique_ptr<Notifier>> MakeNotifier(const NotifierConfig& config,
                                               const EngineBuilders& engine) {
  if (config.name.empty()) return Fail("a notifier needs a name");
  const std::string& name = config.name;
  // The registration list: one line per type. A new type adds its options to NotifierOptions
  // (notifier_options.h) and a line here; the compiler refuses a type without one.
  return std::visit(
      Overloaded{
          [&](const EmailOptions& o) { return Upcast(EmailNotifier::Create(name, o)); },
          [&](const SlackOptions& o) { return MakeSlackNotifier(name, o); },
          [&](const TeamsOptions& o) { return MakeTeamsNotifier(name, o); },
          [&](const WebhookOptions& o) { return MakeWebhookNotifier(name, o); },
          [&](const CloudEventOptions& o) {
            return ByEngine(engine.cloudevent, "cloudevent", name, o);
          },
          [&](const SnsOptions& o) { return ByEngine(engine.sns, "sns", name, o); },
      },
      config.options);
}

}  // namespace costwatch::notify
