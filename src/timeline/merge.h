// The streaming k-way merge: items of many streams, each already in its own
// order, handed out in time order while holding only one pending item per
// stream, so memory does not grow with the logs.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "timeline/item.h"

namespace irk::timeline {

// A source of items in the order the source holds them (a log file's order,
// which is time order unless its clock jumped).
class ItemStream {
 public:
  virtual ~ItemStream() = default;
  // The next item, or nullopt at the end.
  virtual std::optional<Item> Next() = 0;
  // After the end: why the stream stopped early, if it did.
  virtual Status status() const { return Ok(); }
  // The source as a person names it: "/var/log/auth.log", "case journal".
  virtual const std::string& name() const = 0;
};

// A stream over items made beforehand (the case journal, file times, tests).
class VectorStream : public ItemStream {
 public:
  VectorStream(std::string name, std::vector<Item> items)
      : name_(std::move(name)), items_(std::move(items)) {}
  std::optional<Item> Next() override;
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::vector<Item> items_;
  size_t next_ = 0;
};

class Merge {
 public:
  explicit Merge(std::vector<std::unique_ptr<ItemStream>> streams);

  // The earliest pending item, with its `source` set to its stream's index;
  // then that stream's next item becomes pending. Items with equal times come
  // in stream order, and each stream's items in the stream's own order (so a
  // stream whose stamps go backwards is not reordered). nullopt at the end.
  std::optional<Item> Next();

  // Items waiting: at most one per stream.
  size_t pending() const { return queue_.size(); }
  size_t size() const { return streams_.size(); }
  const ItemStream& stream(size_t index) const { return *streams_[index]; }

 private:
  void Pull(size_t index);

  struct Pending {
    Timestamp time;
    size_t index;
    friend bool operator>(const Pending& a, const Pending& b) {
      return std::pair(a.time, a.index) > std::pair(b.time, b.index);
    }
  };
  std::vector<std::unique_ptr<ItemStream>> streams_;
  std::vector<std::optional<Item>> items_;  // the pending item of each stream
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
};

}  // namespace irk::timeline
