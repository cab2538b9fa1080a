#include "timeline/merge.h"

namespace irk::timeline {

std::optional<Item> VectorStream::Next() {
  if (next_ == items_.size()) return std::nullopt;
  return std::move(items_[next_++]);
}

Merge::Merge(std::vector<std::unique_ptr<ItemStream>> streams)
    : streams_(std::move(streams)), items_(streams_.size()) {
  for (size_t i = 0; i < streams_.size(); ++i) Pull(i);
}

void Merge::Pull(size_t index) {
  items_[index] = streams_[index]->Next();
  if (items_[index]) queue_.push(Pending{items_[index]->time, index});
}

std::optional<Item> Merge::Next() {
  if (queue_.empty()) return std::nullopt;
  const size_t index = queue_.top().index;
  queue_.pop();
  Item item = std::move(*items_[index]);
  item.source = index;
  Pull(index);
  return item;
}

}  // namespace irk::timeline
