#include "hw_exporter/security/basic_auth.h"

#include <crypt.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace hw_exporter {
namespace {

// Made by htpasswd-style tools elsewhere (oauth2-proxy's documentation), checked here with crypt: "password".
constexpr std::string_view kHtpasswdHash = "$2y$08$1VrI4R2MvqYQb3BMnnA7IeQ1.KyoKtqLT6XDIKPNRlB2/aA.PI8ZW";
// From crypt_blowfish's test vectors: "U*U".
constexpr std::string_view kOpenwallHash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

// A bcrypt hash of the password at the lowest cost, so that the tests stay fast.
std::string Hash(const std::string& password) {
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
  if (crypt_gensalt_rn("$2b$", 4, nullptr, 0, setting.data(), setting.size()) == nullptr)
    throw std::runtime_error("crypt_gensalt_rn failed");
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_rn(password.c_str(), setting.data(), data.get(), sizeof(crypt_data));
  if (hash == nullptr || hash[0] == '*') throw std::runtime_error("crypt_rn failed");
  return hash;
}

std::string Header(const std::string& user_and_password) {
  std::string encoded(4 * ((user_and_password.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(user_and_password.data()),
                                     static_cast<int>(user_and_password.size()));
  encoded.resize(length);
  return "Basic " + encoded;
}

class BasicAuthTest : public ::testing::Test {
 protected:
  BasicAuth auth_{{{"alice", Hash("secret")}, {"bob", Hash("pa:ss:word")}}};
};

TEST_F(BasicAuthTest, AllowsTheRightPassword) {
  EXPECT_TRUE(auth_.Allows(Header("alice:secret")));
  EXPECT_TRUE(auth_.Allows("basic " + Header("alice:secret").substr(6)));
}

TEST_F(BasicAuthTest, RefusesAWrongPassword) {
  EXPECT_FALSE(auth_.Allows(Header("alice:Secret")));
  EXPECT_FALSE(auth_.Allows(Header("alice:secret ")));
  EXPECT_FALSE(auth_.Allows(Header("alice:")));
  EXPECT_FALSE(auth_.Allows(Header("alice:pa:ss:word")));  // bob's
}

TEST_F(BasicAuthTest, RefusesAnUnknownUser) {
  EXPECT_FALSE(auth_.Allows(Header("carol:secret")));
  EXPECT_FALSE(auth_.Allows(Header("Alice:secret")));
  EXPECT_FALSE(auth_.Allows(Header(":secret")));
}

TEST_F(BasicAuthTest, TakesAPasswordWithColons) {
  EXPECT_TRUE(auth_.Allows(Header("bob:pa:ss:word")));
  EXPECT_FALSE(auth_.Allows(Header("bob:pa")));
}

TEST_F(BasicAuthTest, RefusesMalformedHeaders) {
  EXPECT_FALSE(auth_.Allows(""));
  EXPECT_FALSE(auth_.Allows("Basic"));
  EXPECT_FALSE(auth_.Allows(Header("alice:secret").substr(6)));  // no scheme
  EXPECT_FALSE(auth_.Allows("Bearer " + Header("alice:secret").substr(6)));
  EXPECT_FALSE(auth_.Allows("Basic !!!!"));
  EXPECT_FALSE(auth_.Allows(Header("alicesecret")));
  EXPECT_FALSE(auth_.Allows(Header(std::string("alice:secret\0", 13))));
}

// Remembered credentials must not let through anything else: the same user with another password, or the
// password once the cache has started over.
TEST_F(BasicAuthTest, RemembersOnlyWhatWasVerified) {
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(auth_.Allows(Header("alice:secret")));
  EXPECT_FALSE(auth_.Allows(Header("alice:secre")));
  EXPECT_FALSE(auth_.Allows(Header("alice:secret2")));
  EXPECT_FALSE(auth_.Allows(Header("bob:secret")));
  EXPECT_TRUE(auth_.Allows(Header("bob:pa:ss:word")));
  EXPECT_TRUE(auth_.Allows(Header("alice:secret")));
}

TEST_F(BasicAuthTest, AWrongPasswordStaysWrong) {
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(auth_.Allows(Header("alice:wrong")));
  EXPECT_TRUE(auth_.Allows(Header("alice:secret")));
  EXPECT_FALSE(auth_.Allows(Header("alice:wrong")));
}

TEST_F(BasicAuthTest, AnswersConcurrentRequests) {
  std::vector<std::thread> threads;
  std::array<int, 8> allowed{};
  for (size_t t = 0; t < allowed.size(); ++t) {
    threads.emplace_back([&, t] {
      const bool right = t % 2 == 0;
      for (int i = 0; i < 5; ++i) allowed[t] += auth_.Allows(Header(right ? "alice:secret" : "alice:wrong")) ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < allowed.size(); ++t) EXPECT_EQ(allowed[t], t % 2 == 0 ? 5 : 0) << "thread " << t;
}

TEST(BasicAuthHashesTest, AcceptsHashesMadeElsewhere) {
  BasicAuth auth({{"htpasswd", std::string(kHtpasswdHash)}, {"openwall", std::string(kOpenwallHash)}});
  EXPECT_TRUE(auth.Allows(Header("htpasswd:password")));
  EXPECT_FALSE(auth.Allows(Header("htpasswd:Password")));
  EXPECT_TRUE(auth.Allows(Header("openwall:U*U")));
  EXPECT_FALSE(auth.Allows(Header("openwall:U*V")));
}

TEST(BasicAuthHashesTest, AcceptsEveryBcryptPrefix) {
  const std::string hash = Hash("secret");
  for (const char* prefix : {"$2a$", "$2b$", "$2y$"}) {
    BasicAuth auth({{"alice", prefix + hash.substr(4)}});
    EXPECT_TRUE(auth.Allows(Header("alice:secret"))) << prefix;
  }
}

void ExpectRejected(const std::string& hash) {
  try {
    BasicAuth auth({{"alice", Hash("secret")}, {"mallory", hash}});
    ADD_FAILURE() << "accepted " << hash;
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("basic_auth_users.mallory: not a bcrypt hash"), std::string::npos)
        << error.what();
  }
}

TEST(BasicAuthHashesTest, RejectsWhatIsNotABcryptHash) {
  const std::string hash = Hash("secret");
  ExpectRejected("$1$saltsalt$qjXMvbEw8oaL.CzflDugX/");  // MD5-crypt
  ExpectRejected("secret");
  ExpectRejected("");
  ExpectRejected(hash.substr(0, hash.size() - 1));
  ExpectRejected(hash + "x");
  ExpectRejected("$2x$" + hash.substr(4));
  ExpectRejected("$2b$99$" + hash.substr(7));
  ExpectRejected("$2b$03$" + hash.substr(7));
  ExpectRejected("$2b$4$" + hash.substr(7));
  ExpectRejected(hash.substr(0, 30) + "!" + hash.substr(31));
}

TEST(BasicAuthHashesTest, RejectsAHashThatLibxcryptRefuses) {
  // The last salt character carries 4 unused bits; with them set, crypt writes a different salt back, so the
  // hash could never match.
  std::string hash = Hash("secret");
  hash[28] = 'z';
  try {
    BasicAuth auth({{"mallory", hash}});
    ADD_FAILURE() << "accepted " << hash;
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("basic_auth_users.mallory: a bcrypt hash libxcrypt refuses"),
              std::string::npos)
        << error.what();
  }
}

TEST(BasicAuthHashesTest, RejectsAUserListedTwice) {
  EXPECT_THROW(BasicAuth({{"alice", Hash("a")}, {"alice", Hash("b")}}), std::invalid_argument);
}

TEST(BasicAuthHashesTest, EmptyWithoutUsers) {
  BasicAuth none({});
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.Allows(Header("alice:secret")));
  EXPECT_FALSE(BasicAuth({{"alice", Hash("secret")}}).empty());
}

}  // namespace
}  // namespace hw_exporter
