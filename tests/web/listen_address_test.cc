#include "util/listen_address.h"

#include <gtest/gtest.h>

namespace costwatch {
namespace {

TEST(ListenAddressTest, ReadsHostAndPort) {
  auto address = ParseListenAddress("0.0.0.0:9000");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "0.0.0.0");
  EXPECT_EQ(address->port, 9000);
  EXPECT_EQ(FormatListenAddress(*address), "0.0.0.0:9000");
}

TEST(ListenAddressTest, DefaultsTheMissingHalf) {
  auto port_only = ParseListenAddress(":9000");
  ASSERT_TRUE(port_only.ok());
  EXPECT_EQ(port_only->host, "127.0.0.1");
  EXPECT_EQ(port_only->port, 9000);
  auto host_only = ParseListenAddress("localhost");
  ASSERT_TRUE(host_only.ok());
  EXPECT_EQ(host_only->host, "localhost");
  EXPECT_EQ(host_only->port, kDefaultListenPort);
}

TEST(ListenAddressTest, ReadsBracketedIpv6) {
  auto address = ParseListenAddress("[::1]:8377");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->port, 8377);
  EXPECT_EQ(FormatListenAddress(*address), "[::1]:8377");
}

TEST(ListenAddressTest, RefusesWhatIsNoAddress) {
  for (const char* text : {"", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:65536", "::1:80", "[::1",
                           "[::1]80", "a b:80"}) {
    auto address = ParseListenAddress(text);
    ASSERT_FALSE(address.ok()) << text;
    EXPECT_NE(address.error().message.find("listen address '" + std::string(text) + "'"),
              std::string::npos)
        << address.error().message;
  }
}

TEST(ListenAddressTest, KnowsLoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("::"));
  EXPECT_FALSE(IsLoopbackHost("192.168.1.10"));
}

}  // namespace
}  // namespace costwatch
