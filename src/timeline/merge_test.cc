#include "timeline/merge.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "timeline/reader_stream.h"

namespace irk::timeline {
namespace {

Item ActionAt(int64_t seconds, int64_t seq) {
  return Item{Timestamp{seconds, 0}, Action{seq, "k", "{}"}};
}

int64_t SeqOf(const Item& item) { return std::get<Action>(item.what).seq; }

std::unique_ptr<ItemStream> Stream(std::vector<std::pair<int64_t, int64_t>> times_and_seqs) {
  std::vector<Item> items;
  for (auto [time, seq] : times_and_seqs) items.push_back(ActionAt(time, seq));
  return std::make_unique<VectorStream>("s", std::move(items));
}

// (source, seq) of everything the merge hands out.
std::vector<std::pair<size_t, int64_t>> Drain(Merge& merge) {
  std::vector<std::pair<size_t, int64_t>> out;
  while (auto item = merge.Next()) out.emplace_back(item->source, SeqOf(*item));
  return out;
}

TEST(Merge, HandsOutTheItemsOfAllStreamsInTimeOrder) {
  std::vector<std::unique_ptr<ItemStream>> streams;
  streams.push_back(Stream({{10, 1}, {30, 2}, {50, 3}}));
  streams.push_back(Stream({{20, 4}, {40, 5}}));
  streams.push_back(Stream({}));
  Merge merge(std::move(streams));
  const std::vector<std::pair<size_t, int64_t>> expected = {{0, 1}, {1, 4}, {0, 2}, {1, 5}, {0, 3}};
  EXPECT_EQ(Drain(merge), expected);
}

TEST(Merge, KeepsEqualTimesInStreamOrderThenInEachStreamsOwnOrder) {
  std::vector<std::unique_ptr<ItemStream>> streams;
  streams.push_back(Stream({{10, 1}, {10, 2}}));
  streams.push_back(Stream({{10, 3}, {10, 4}}));
  streams.push_back(Stream({{5, 5}, {10, 6}}));
  Merge merge(std::move(streams));
  const std::vector<std::pair<size_t, int64_t>> expected = {{2, 5}, {0, 1}, {0, 2},
                                                            {1, 3}, {1, 4}, {2, 6}};
  EXPECT_EQ(Drain(merge), expected);
}

TEST(Merge, DoesNotReorderAStreamWhoseClockGoesBackwards) {
  std::vector<std::unique_ptr<ItemStream>> streams;
  streams.push_back(Stream({{100, 1}, {10, 2}}));
  streams.push_back(Stream({{50, 3}}));
  Merge merge(std::move(streams));
  const std::vector<std::pair<size_t, int64_t>> expected = {{1, 3}, {0, 1}, {0, 2}};
  EXPECT_EQ(Drain(merge), expected);
}

// A stream that makes its items as they are asked for, counting them.
class CountingStream : public ItemStream {
 public:
  CountingStream(int64_t count, int64_t offset) : count_(count), offset_(offset) {}
  std::optional<Item> Next() override {
    if (made_ == count_) return std::nullopt;
    ++made_;
    return ActionAt(made_ * 3 + offset_, made_);
  }
  const std::string& name() const override { return name_; }
  int64_t made() const { return made_; }

 private:
  int64_t count_, offset_, made_ = 0;
  std::string name_ = "counting";
};

TEST(Merge, HoldsOnePendingItemPerStreamHoweverLongTheStreams) {
  std::vector<std::unique_ptr<ItemStream>> streams;
  std::vector<const CountingStream*> counting;
  for (int64_t i = 0; i < 3; ++i) {
    auto stream = std::make_unique<CountingStream>(20000, i);
    counting.push_back(stream.get());
    streams.push_back(std::move(stream));
  }
  Merge merge(std::move(streams));
  int64_t handed_out = 0;
  Timestamp last{};
  while (auto item = merge.Next()) {
    ++handed_out;
    ASSERT_LE(last, item->time);
    last = item->time;
    int64_t made = 0;
    for (const CountingStream* stream : counting) made += stream->made();
    // Everything made was handed out, except one waiting item per stream.
    ASSERT_LE(merge.pending(), 3u);
    ASSERT_EQ(made, handed_out + static_cast<int64_t>(merge.pending()));
  }
  EXPECT_EQ(handed_out, 60000);
}

logs::Event EventAt(int64_t seconds, std::string_view raw) {
  logs::Event event;
  event.time = Timestamp{seconds, 0};
  event.raw = raw;
  event.service = "sshd";
  return event;
}

TEST(ReaderStream, HandsOverOwnedCopiesInOrderAndThenTheReadersError) {
  ReaderStream stream("auth.log", [](const logs::EventSink& sink) {
    std::string line;
    for (int i = 0; i < 1000; ++i) {
      line = "line " + std::to_string(i);  // reused: the stream must copy
      sink(EventAt(i, line));
    }
    return Status(Fail("read auth.log: cut short"));
  });
  for (int i = 0; i < 1000; ++i) {
    auto item = stream.Next();
    ASSERT_TRUE(item);
    const logs::Event event = std::get<OwnedEvent>(item->what).view();
    ASSERT_EQ(event.raw, "line " + std::to_string(i));
    ASSERT_EQ(item->time.seconds, i);
  }
  EXPECT_FALSE(stream.Next());
  ASSERT_FALSE(stream.status().ok());
  EXPECT_EQ(stream.status().error().message, "read auth.log: cut short");
}

TEST(ReaderStream, ReadsNoFurtherAheadThanTwoBatches) {
  std::atomic<int> passed{0};
  auto stream = std::make_unique<ReaderStream>("big", [&passed](const logs::EventSink& sink) {
    for (int i = 0; i < 100000; ++i) {
      passed = i + 1;
      sink(EventAt(i, "x"));
    }
    return Ok();
  });
  ASSERT_TRUE(stream->Next());
  // The reader is now blocked with one batch handed over and one filling.
  for (int wait = 0; wait < 100 && passed < static_cast<int>(2 * ReaderStream::kBatch); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_LE(passed.load(), static_cast<int>(3 * ReaderStream::kBatch) + 1);
  // Going away early neither waits for the rest nor hangs.
  stream.reset();
}

}  // namespace
}  // namespace irk::timeline
