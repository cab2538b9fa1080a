#include "core/json.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace irk {
namespace {

std::string Bytes(const char* s, size_t n) { return std::string(s, n); }

// Writes `s` as a JSON string, checks the text is valid UTF-8 and returns
// what a JSON parser reads back.
std::string RoundTrip(std::string_view s) {
  const std::string json = JsonString(s);
  EXPECT_TRUE(IsValidUtf8(json)) << json;
  const nlohmann::json parsed = nlohmann::json::parse(json);
  EXPECT_TRUE(parsed.is_string());
  return parsed.get<std::string>();
}

TEST(AppendJsonString, QuotesAndAppends) {
  std::string out = "x=";
  AppendJsonString(out, "root");
  EXPECT_EQ(out, "x=\"root\"");
}

TEST(AppendJsonString, EscapesQuoteAndBackslash) {
  EXPECT_EQ(JsonString("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(RoundTrip("a\"b\\c"), "a\"b\\c");
}

TEST(AppendJsonString, UsesShortEscapesForCommonControls) {
  EXPECT_EQ(JsonString("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(RoundTrip("\b\f\n\r\t"), "\b\f\n\r\t");
}

TEST(AppendJsonString, UsesUnicodeEscapesForOtherControls) {
  EXPECT_EQ(JsonString("\x1b[2J"), R"("\u001b[2J")");
  EXPECT_EQ(RoundTrip("\x1b[2J"), "\x1b[2J");
  EXPECT_EQ(JsonString(Bytes("a\0b", 3)), R"("a\u0000b")");
  EXPECT_EQ(RoundTrip(Bytes("a\0b", 3)), Bytes("a\0b", 3));
}

TEST(AppendJsonString, EscapesDeleteAndC1Controls) {
  EXPECT_EQ(JsonString("\x7f"), R"("\u007f")");
  EXPECT_EQ(JsonString("\xc2\x9b"), R"("\u009b")");
  EXPECT_EQ(RoundTrip("\x7f\xc2\x9b"), "\x7f\xc2\x9b");
}

TEST(AppendJsonString, EscapesLineSeparatorsAndBidiControls) {
  EXPECT_EQ(JsonString("\xe2\x80\xa8\xe2\x80\xa9"), R"("\u2028\u2029")");
  EXPECT_EQ(JsonString("evil\xe2\x80\xaetxt"), R"("evil\u202etxt")");
  EXPECT_EQ(RoundTrip("evil\xe2\x80\xaetxt"), "evil\xe2\x80\xaetxt");
}

TEST(AppendJsonString, EscapesInvisibleCharactersAboveTheBmpAsSurrogatePairs) {
  EXPECT_EQ(JsonString("\xf3\xa0\x80\x81"), R"("\udb40\udc01")");  // U+E0001
  EXPECT_EQ(RoundTrip("\xf3\xa0\x80\x81"), "\xf3\xa0\x80\x81");
}

TEST(AppendJsonString, CopiesValidMultiByteText) {
  EXPECT_EQ(JsonString("café 日本 \xf0\x9f\x94\x91"), "\"café 日本 \xf0\x9f\x94\x91\"");
  EXPECT_EQ(RoundTrip("café 日本 \xf0\x9f\x94\x91"), "café 日本 \xf0\x9f\x94\x91");
}

TEST(AppendJsonString, WritesInvalidBytesAsEscapedBackslashX) {
  EXPECT_EQ(JsonString("a\xff"), R"("a\\xff")");
  EXPECT_EQ(RoundTrip("a\xff"), "a\\xff");
}

TEST(AppendJsonString, WritesEachByteOfOverlongEncodings) {
  EXPECT_EQ(RoundTrip("\xc0\xaf"), "\\xc0\\xaf");
  EXPECT_EQ(RoundTrip("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
  EXPECT_EQ(RoundTrip("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
}

TEST(AppendJsonString, WritesEachByteOfEncodedSurrogates) {
  EXPECT_EQ(RoundTrip("\xed\xa0\x80"), "\\xed\\xa0\\x80");
  EXPECT_EQ(RoundTrip("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");
}

TEST(AppendJsonString, WritesEachByteAboveTheUnicodeRange) {
  EXPECT_EQ(RoundTrip("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
}

TEST(AppendJsonString, WritesEachByteOfSequencesTruncatedAtTheEnd) {
  EXPECT_EQ(RoundTrip("ok\xe6\x97"), "ok\\xe6\\x97");
  EXPECT_EQ(RoundTrip("ok\xf0\x9f\x94"), "ok\\xf0\\x9f\\x94");
}

TEST(AppendJsonString, DecodesToWhatTheTerminalEscaperShows) {
  const std::string hostile = Bytes("\x1b[2J\0\xc0\xaf\xe6\x97 \xe2\x80\xae", 13);
  EXPECT_EQ(EscapeForTerminal(RoundTrip(hostile)), EscapeForTerminal(hostile));
}

// Plain text is let through sixteen bytes at a time, the rest byte by
// byte: every byte value, at every place of texts shorter and longer than
// two blocks, must come out as it does on its own, and IsPlainJsonText must
// say whether it came out unchanged.
TEST(AppendJsonString, WritesEveryByteTheSameAtEveryPlaceInABlock) {
  for (int byte = 0; byte < 256; ++byte) {
    const std::string alone = JsonString(std::string(1, static_cast<char>(byte)));
    const std::string_view inner = std::string_view(alone).substr(1, alone.size() - 2);
    const bool plain = inner.size() == 1;
    for (size_t size = 1; size <= 40; ++size) {
      for (size_t at = 0; at < size; ++at) {
        std::string text(size, 'a');
        text[at] = static_cast<char>(byte);
        const std::string expected = "\"" + std::string(at, 'a') + std::string(inner) +
                                     std::string(size - 1 - at, 'a') + "\"";
        ASSERT_EQ(JsonString(text), expected) << "byte " << byte << " at " << at << " of " << size;
        ASSERT_EQ(IsPlainJsonText(text), plain)
            << "byte " << byte << " at " << at << " of " << size;
      }
    }
  }
  EXPECT_TRUE(IsPlainJsonText(""));
}

TEST(AppendJsonString, HandlesAMegabyteOfHostileBytes) {
  std::string big;
  for (int i = 0; i < (1 << 20) / 4; ++i) big += "\x1b\xc0\"\xe6";
  const std::string decoded = RoundTrip(big);
  EXPECT_EQ(decoded.substr(0, 10), "\x1b\\xc0\"\\xe6");
  EXPECT_EQ(decoded.size(), big.size() / 4 * 10);
}

TEST(WriteJsonString, WritesWhatAppendWritesWithinItsBound) {
  // Controls are the worst case, six bytes for one; the rest stay below it.
  for (const std::string& input :
       {std::string(1000, '\x01'), std::string(1000, '\xff'), std::string("\xf3\xa0\x80\x81") + "x",
        std::string("\xe2\x80\xae\xc2\x85\"\\plain")}) {
    std::string room(MaxJsonString(input.size()), '\0');
    const size_t written = static_cast<size_t>(WriteJsonString(room.data(), input) - room.data());
    EXPECT_LE(written, room.size());
    EXPECT_EQ(room.substr(0, written), JsonString(input));
  }
  EXPECT_EQ(JsonString(std::string(1000, '\x01')).size(), MaxJsonString(1000));
}

// WriteDecimal against std::to_chars; it must write nothing past its 20
// bytes of room.
void ExpectDecimal(uint64_t value) {
  std::array<char, 32> written;
  written.fill('#');
  const char* end = WriteDecimal(written.data(), value);
  std::array<char, 20> expected{};
  const char* expected_end = std::to_chars(expected.begin(), expected.end(), value).ptr;
  ASSERT_EQ(std::string_view(written.data(), static_cast<size_t>(end - written.data())),
            std::string_view(expected.data(), static_cast<size_t>(expected_end - expected.data())))
      << value;
  ASSERT_EQ(std::string_view(written.data() + 20, 12), "############") << value;
}

TEST(WriteDecimal, WritesWhatToCharsWrites) {
  for (uint64_t value = 0; value < 200'000; ++value) ExpectDecimal(value);
  // Each power of ten and its neighbours, up to the largest number.
  for (uint64_t power = 1; power <= 10'000'000'000'000'000'000ULL; power *= 10) {
    ExpectDecimal(power - 1);
    ExpectDecimal(power);
    ExpectDecimal(power + 1);
    if (power == 10'000'000'000'000'000'000ULL) break;
  }
  ExpectDecimal(std::numeric_limits<uint64_t>::max());
  // Numbers of every length, with zeros and nines inside.
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 200'000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    ExpectDecimal(state >> (state % 64));
  }
  ExpectDecimal(100'000'000);
  ExpectDecimal(909'090'909'009ULL);
}

TEST(JsonObject, KeepsInsertionOrder) {
  JsonObject object;
  object.Add("z", "last").Add("a", "first");
  EXPECT_EQ(object.str(), R"({"z":"last","a":"first"})");
}

TEST(JsonObject, StartsEmpty) {
  JsonObject object;
  EXPECT_TRUE(object.empty());
  EXPECT_EQ(object.str(), "{}");
  object.AddNull("k");
  EXPECT_FALSE(object.empty());
}

TEST(JsonObject, PicksTheStringOverloadForLiterals) {
  JsonObject object;
  object.Add("s", "text");
  EXPECT_EQ(object.str(), R"({"s":"text"})");
}

// Whether JsonObject::Add takes a value of type T (checked in a template so
// that a call that does not compile gives false instead of an error).
template <typename T>
constexpr bool kAddTakes = requires(JsonObject object, T value) {
  object.Add("k", value);
};

TEST(JsonObject, RefusesCharactersAsNumbers) {
  EXPECT_FALSE(kAddTakes<char>);
  EXPECT_FALSE(kAddTakes<char32_t>);
  EXPECT_TRUE(kAddTakes<int8_t>);
  EXPECT_TRUE(kAddTakes<uint64_t>);
}

TEST(JsonObject, WritesEveryValueType) {
  const std::string owned = "owned";
  const std::string_view view = "view";
  const char* null_text = nullptr;
  JsonObject object;
  object.Add("string", owned)
      .Add("view", view)
      .Add("null_text", null_text)
      .Add("yes", true)
      .Add("no", false)
      .Add("int", -42)
      .Add("int8", int8_t{-8})
      .Add("uint16", uint16_t{65535})
      .Add("size", size_t{7})
      .Add("min", std::numeric_limits<int64_t>::min())
      .Add("max", std::numeric_limits<uint64_t>::max())
      .Add("double", 0.5)
      .AddNull("nothing");
  EXPECT_EQ(object.str(),
            R"({"string":"owned","view":"view","null_text":null,"yes":true,"no":false,)"
            R"("int":-42,"int8":-8,"uint16":65535,"size":7,"min":-9223372036854775808,)"
            R"("max":18446744073709551615,"double":0.5,"nothing":null})");
  const nlohmann::json parsed = nlohmann::json::parse(object.str());
  EXPECT_EQ(parsed["min"].get<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parsed["max"].get<uint64_t>(), std::numeric_limits<uint64_t>::max());
}

TEST(JsonObject, WritesDoublesSoTheyReadBackExactly) {
  JsonObject object;
  object.Add("third", 1.0 / 3).Add("big", 1e300).Add("whole", 3.0).Add("neg", -0.25);
  const nlohmann::json parsed = nlohmann::json::parse(object.str());
  EXPECT_EQ(parsed["third"].get<double>(), 1.0 / 3);
  EXPECT_EQ(parsed["big"].get<double>(), 1e300);
  EXPECT_EQ(parsed["whole"].get<double>(), 3.0);
  EXPECT_EQ(parsed["neg"].get<double>(), -0.25);
}

TEST(JsonObject, WritesNonFiniteDoublesAsNull) {
  JsonObject object;
  object.Add("nan", std::numeric_limits<double>::quiet_NaN())
      .Add("inf", std::numeric_limits<double>::infinity())
      .Add("ninf", -std::numeric_limits<double>::infinity());
  EXPECT_EQ(object.str(), R"({"nan":null,"inf":null,"ninf":null})");
}

TEST(JsonObject, LeavesOutEmptyOptionals) {
  JsonObject object;
  object.Add("absent", std::optional<int>())
      .Add("present", std::optional<int>(3))
      .Add("name", std::optional<std::string>("root"));
  EXPECT_EQ(object.str(), R"({"present":3,"name":"root"})");
}

TEST(JsonObject, NestsObjectsAndArrays) {
  JsonArray ports;
  ports.Add(22).Add(2222);
  JsonObject inner;
  inner.Add("addr", "192.0.2.7");
  JsonObject object;
  object.Add("ports", ports).Add("peer", inner).AddRaw("raw", "[true]");
  EXPECT_EQ(object.str(), R"({"ports":[22,2222],"peer":{"addr":"192.0.2.7"},"raw":[true]})");
}

TEST(JsonObject, EscapesHostileKeys) {
  JsonObject object;
  object.Add("k\"\x1b\xff", 1);
  EXPECT_TRUE(IsValidUtf8(object.str()));
  const nlohmann::json parsed = nlohmann::json::parse(object.str());
  EXPECT_EQ(parsed["k\"\x1b\\xff"].get<int>(), 1);
}

TEST(JsonObject, IsDeterministic) {
  const auto build = [] {
    JsonObject object;
    object.Add("user", "r\xc3\xb6ot\xff").Add("uid", 0).Add("score", 0.1);
    return object.str();
  };
  EXPECT_EQ(build(), build());
}

TEST(JsonArray, KeepsOrderAndTypes) {
  JsonObject element;
  element.Add("k", "v");
  JsonArray array;
  EXPECT_TRUE(array.empty());
  array.Add("text")
      .Add(std::string("owned"))
      .Add(7u)
      .Add(-1)
      .Add(true)
      .Add(1.5)
      .AddNull()
      .Add(element)
      .AddRaw("[]");
  EXPECT_FALSE(array.empty());
  EXPECT_EQ(array.str(), R"(["text","owned",7,-1,true,1.5,null,{"k":"v"},[]])");
  EXPECT_TRUE(nlohmann::json::parse(array.str()).is_array());
}

TEST(JsonArray, StartsAsEmptyBrackets) { EXPECT_EQ(JsonArray().str(), "[]"); }

}  // namespace
}  // namespace irk
