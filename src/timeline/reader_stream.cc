#include "timeline/reader_stream.h"

#include <utility>

namespace irk::timeline {

ReaderStream::ReaderStream(std::string name, Read read)
    : name_(std::move(name)), read_(std::move(read)) {}

ReaderStream::~ReaderStream() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void ReaderStream::Hand(std::vector<Item> batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !ready_ || stopping_; });
  if (stopping_) return;
  ready_ = std::move(batch);
  changed_.notify_all();
}

void ReaderStream::Run() {
  std::vector<Item> batch;
  batch.reserve(kBatch);
  bool stopping = false;
  const logs::EventSink sink = [&](const logs::Event& event) {
    if (stopping) return;
    batch.push_back(Item{event.time, OwnedEvent(event)});
    if (batch.size() < kBatch) return;
    Hand(std::exchange(batch, {}));
    batch.reserve(kBatch);
    std::lock_guard lock(mutex_);
    stopping = stopping_;
  };
  Status status = read_(sink);
  if (!batch.empty()) Hand(std::move(batch));
  std::lock_guard lock(mutex_);
  status_ = std::move(status);
  done_ = true;
  changed_.notify_all();
}

std::optional<Item> ReaderStream::Next() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  if (next_taken_ == taken_.size()) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return ready_ || done_; });
    if (!ready_) return std::nullopt;
    taken_ = std::move(*ready_);
    next_taken_ = 0;
    ready_.reset();
    changed_.notify_all();
  }
  return std::move(taken_[next_taken_++]);
}

Status ReaderStream::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

}  // namespace irk::timeline
