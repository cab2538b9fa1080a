// Result<T> and Status: the return type of every operation that can fail in
// an expected way. Shaped like C++23's std::expected, which the compilers we
// build with (g++ 12, clang 14) cannot yet offer in C++20.
#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace irk {

// What went wrong, as one line for a person: lower case, no final period,
// the context first ("read /var/log/auth.log: permission denied").
struct Error {
  std::string message;

  // Returns this error with `context` in front: Error{"x"}.Wrap("open") is
  // "open: x".
  Error Wrap(std::string_view context) const& {
    return Error{std::string(context) + ": " + message};
  }
};

// Makes an Error; `return Fail("bad magic");` reads like std::unexpected.
inline Error Fail(std::string message) { return Error{std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
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

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(failed_);
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

// The success value of a Status, for `return Ok();`.
inline Status Ok() { return {}; }

}  // namespace irk
