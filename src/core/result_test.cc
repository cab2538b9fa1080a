#include "core/result.h"

#include <memory>

#include <gtest/gtest.h>

namespace irk {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Fail("odd number");
  return n / 2;
}

TEST(Result, HoldsTheValueOnSuccess) {
  Result<int> r = Half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 4);
}

TEST(Result, HoldsTheErrorOnFailure) {
  Result<int> r = Half(7);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "odd number");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(Result, WrapPutsContextInFront) {
  EXPECT_EQ(Fail("permission denied").Wrap("read /var/log/auth.log").message,
            "read /var/log/auth.log: permission denied");
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Status, IsOkByDefaultAndCarriesErrors) {
  Status good = Ok();
  Status bad = Fail("no");
  EXPECT_TRUE(good.ok());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "no");
}

}  // namespace
}  // namespace irk
