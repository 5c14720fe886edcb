// Result<T>: the value or the error every module returns across its border.
//
// GCC 12 in C++20 mode has no std::expected, so this is the small subset we use. Errors carry a
// message written for the person running costwatch: what went wrong and, where we know it, what
// to do about it.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace costwatch {

struct Error {
  std::string message;
};

// Wraps an error message so it converts to any Result<T>.
[[nodiscard]] inline Error Fail(std::string message) {
  return Error{std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  [[nodiscard]] const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit

  [[nodiscard]] bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  [[nodiscard]] const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

// Prefixes context onto an error while passing it on: "reading x.json: " + "line 3: ...".
[[nodiscard]] inline Error WithContext(std::string_view context, const Error& error) {
  return Error{std::string(context) + ": " + error.message};
}

}  // namespace costwatch
