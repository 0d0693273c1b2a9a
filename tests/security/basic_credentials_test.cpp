#include "security/basic_credentials.h"

#include <gtest/gtest.h>

namespace hw_exporter {
namespace {

using namespace std::string_literals;

// "alice:secret"
constexpr std::string_view kAliceSecret = "YWxpY2U6c2VjcmV0";

void ExpectCredentials(std::string_view authorization, const std::string& user, const std::string& password) {
  const std::optional<BasicCredentials> credentials = ParseBasicCredentials(authorization);
  ASSERT_TRUE(credentials) << authorization;
  EXPECT_EQ(credentials->user, user);
  EXPECT_EQ(credentials->password, password);
}

TEST(BasicCredentialsTest, ReadsUserAndPassword) { ExpectCredentials("Basic YWxpY2U6c2VjcmV0", "alice", "secret"); }

TEST(BasicCredentialsTest, TakesTheSchemeInAnyCase) {
  ExpectCredentials("basic YWxpY2U6c2VjcmV0", "alice", "secret");
  ExpectCredentials("BASIC YWxpY2U6c2VjcmV0", "alice", "secret");
}

TEST(BasicCredentialsTest, SplitsAtTheFirstColon) {
  ExpectCredentials("Basic YWxpY2U6c2U6Y3I6ZXQ=", "alice", "se:cr:et");  // "alice:se:cr:et"
}

TEST(BasicCredentialsTest, TakesEmptyUserOrPassword) {
  ExpectCredentials("Basic YWxpY2U6", "alice", "");       // "alice:"
  ExpectCredentials("Basic OnNlY3JldA==", "", "secret");  // ":secret"
}

TEST(BasicCredentialsTest, DecodesEveryPadding) {
  ExpectCredentials("Basic YTpi", "a", "b");        // "a:b"
  ExpectCredentials("Basic YTpiYw==", "a", "bc");   // "a:bc"
  ExpectCredentials("Basic YTpiY2Q=", "a", "bcd");  // "a:bcd"
}

TEST(BasicCredentialsTest, ToleratesSurroundingSpaces) {
  ExpectCredentials("  Basic   YWxpY2U6c2VjcmV0 ", "alice", "secret");
}

TEST(BasicCredentialsTest, RefusesOtherSchemes) {
  EXPECT_FALSE(ParseBasicCredentials("Bearer YWxpY2U6c2VjcmV0"));
  EXPECT_FALSE(ParseBasicCredentials("Basically YWxpY2U6c2VjcmV0"));
  EXPECT_FALSE(ParseBasicCredentials(std::string(kAliceSecret)));
}

TEST(BasicCredentialsTest, RefusesEmptyOrIncompleteValues) {
  EXPECT_FALSE(ParseBasicCredentials(""));
  EXPECT_FALSE(ParseBasicCredentials("Basic"));
  EXPECT_FALSE(ParseBasicCredentials("Basic "));
}

TEST(BasicCredentialsTest, RefusesMalformedBase64) {
  EXPECT_FALSE(ParseBasicCredentials("Basic YWxpY2U6c2VjcmV"));      // not a whole quad
  EXPECT_FALSE(ParseBasicCredentials("Basic YWxpY2U6c2Vjcm!0"));     // not in the alphabet
  EXPECT_FALSE(ParseBasicCredentials("Basic YW=pY2U6c2VjcmV0"));     // padding inside
  EXPECT_FALSE(ParseBasicCredentials("Basic YTpiYw==YTpi"));         // padding before more quads
  EXPECT_FALSE(ParseBasicCredentials("Basic YTpi===="));             // too much padding
  EXPECT_FALSE(ParseBasicCredentials("Basic YWxp Y2U6c2VjcmV0"));    // a space inside
  EXPECT_FALSE(ParseBasicCredentials("Basic YWxpY2U6\nc2VjcmV0"s));  // a newline inside
}

TEST(BasicCredentialsTest, RefusesCredentialsWithoutAColon) {
  EXPECT_FALSE(ParseBasicCredentials("Basic YWxpY2U="));  // "alice"
}

TEST(BasicCredentialsTest, RefusesCredentialsWithANul) {
  EXPECT_FALSE(ParseBasicCredentials("Basic YWxpY2U6c2VjcmV0AHh5eg=="));  // "alice:secret\0xyz"
  EXPECT_FALSE(ParseBasicCredentials("Basic YWwAaWNlOnNlY3JldA=="));      // "al\0ice:secret"
}

}  // namespace
}  // namespace hw_exporter
