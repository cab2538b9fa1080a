// A log source as an ItemStream: the event engine pushes events into a sink,
// the merge pulls them. The reading runs on its own thread and hands over
// owned copies in small batches; it waits while a batch is unclaimed, so
// memory stays at two batches per source however long the logs are.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "logs/event_reader.h"
#include "timeline/merge.h"

namespace irk::timeline {

class ReaderStream : public ItemStream {
 public:
  // Reads the source, passing every event to the sink it is given; called
  // once, on the stream's thread, which starts with the first Next().
  using Read = std::function<Status(const logs::EventSink& sink)>;

  // Events handed over at once: large enough that the threads rarely wait on
  // each other, small enough to be nothing beside the reader's own buffers.
  static constexpr size_t kBatch = 256;

  ReaderStream(std::string name, Read read);
  // Stops reading: the events still to come are dropped unread by the sink,
  // and the thread is joined.
  ~ReaderStream() override;

  std::optional<Item> Next() override;
  Status status() const override;
  const std::string& name() const override { return name_; }

 private:
  void Run();
  void Hand(std::vector<Item> batch);

  std::string name_;
  Read read_;
  std::vector<Item> taken_;  // the consumer's current batch
  size_t next_taken_ = 0;    // its next item

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<std::vector<Item>> ready_;  // a full batch waiting for the consumer
  bool done_ = false;                       // the reader returned; ready_ is the last
  bool stopping_ = false;                   // the consumer went away
  Status status_ = Ok();
  std::thread thread_;
};

}  // namespace irk::timeline
