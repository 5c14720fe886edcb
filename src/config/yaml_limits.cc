#include "config/yaml_limits.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace costwatch::config {
namespace {

// Thrown out of the parser's callbacks to stop it at the node or alias that broke a limit.
struct LimitBroken {
  YAML::Mark mark;
  std::string message;
};

// Counts, for every node, the nodes it stands for once its aliases are expanded; sizes are
// capped just past the limit, so that nesting cannot overflow them.
class AliasCounter final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& /*value*/) override {
    Leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = sizes_.find(anchor);
    const size_t size = found == sizes_.end() ? 1 : found->second;
    through_aliases_ = Add(through_aliases_, size);
    if (through_aliases_ > kMaxAliasNodes) {
      throw LimitBroken{mark, "the aliases (*name) up to here stand for more than " +
                                  std::to_string(kMaxAliasNodes) +
                                  " nodes; costwatch reads no more (write the values out, or use "
                                  "fewer aliases)"};
    }
    AddToParent(size);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    Count(mark);
    open_.push_back({anchor, 1});
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Count(mark);
    open_.push_back({anchor, 1});
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    size_t size;
  };
  static size_t Add(size_t a, size_t b) { return std::min(a + b, kMaxAliasNodes + 1); }
  void AddToParent(size_t size) {
    if (!open_.empty()) open_.back().size = Add(open_.back().size, size);
  }
  void Count(const YAML::Mark& mark) {
    if (++nodes_ > kMaxNodes) {
      throw LimitBroken{mark, "the file has more than " + std::to_string(kMaxNodes) +
                                  " values by here; a configuration has a few thousand (is this "
                                  "the right file?)"};
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Count(mark);
    if (anchor != YAML::NullAnchor) sizes_[anchor] = 1;
    AddToParent(1);
  }
  void Close() {
    if (open_.empty()) return;
    const Open node = open_.back();
    open_.pop_back();
    if (node.anchor != YAML::NullAnchor) sizes_[node.anchor] = node.size;
    AddToParent(node.size);
  }

  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, size_t> sizes_;
  size_t through_aliases_ = 0;
  size_t nodes_ = 0;
};

}  // namespace

std::optional<Problem> CheckYamlLimits(std::string_view yaml) {
  if (yaml.size() > kMaxConfigBytes) {
    // Where the limit falls, so that the message names a line like every other.
    const std::string_view kept = yaml.substr(0, kMaxConfigBytes);
    const size_t last_newline = kept.rfind('\n');
    const auto line = static_cast<int>(std::count(kept.begin(), kept.end(), '\n')) + 1;
    const auto column = static_cast<int>(
        last_newline == std::string_view::npos ? kept.size() + 1 : kept.size() - last_newline);
    return Problem{line, column,
                   "the file goes on past 1 MiB here; a configuration is a few kilobytes (is "
                   "this the right file?)"};
  }
  std::istringstream in{std::string(yaml)};
  try {
    YAML::Parser parser(in);
    AliasCounter counter;
    while (parser.HandleNextDocument(counter)) {
    }
  } catch (LimitBroken& stop) {
    return Problem{stop.mark.line + 1, stop.mark.column + 1, std::move(stop.message)};
  } catch (const YAML::Exception&) {
    // Reported with its place by the parser proper.
  }
  return std::nullopt;
}

}  // namespace costwatch::config
