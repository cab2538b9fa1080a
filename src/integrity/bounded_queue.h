// A blocking queue with a fixed capacity between the scanner's threads: the
// producer waits when it is full, so memory stays bounded however large the
// tree is.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace irk::integrity {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // Waits while the queue is full. Items pushed after Close are dropped.
  void Push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return items_.size() < capacity_ || closed_; });
    if (closed_) return;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }

  // The next item; nullopt once the queue is closed and empty, or when
  // `timeout` passes first (then closed() tells the two apart).
  std::optional<T> Pop(std::chrono::milliseconds timeout = std::chrono::milliseconds::max()) {
    std::unique_lock lock(mutex_);
    const auto ready = [this] { return !items_.empty() || closed_; };
    if (timeout == std::chrono::milliseconds::max()) {
      not_empty_.wait(lock, ready);
    } else if (!not_empty_.wait_for(lock, timeout, ready)) {
      return std::nullopt;
    }
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  // No more items will come; waiting consumers see the end once it is empty.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_ && items_.empty();
  }

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace irk::integrity
