#include "hw_exporter/security/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "basic_credentials.h"

namespace hw_exporter {
namespace {

// "$2b$10$" then 22 characters of salt and 31 of hash.
constexpr size_t kBcryptLength = 60;
constexpr size_t kBcryptPrefixLength = 7;
constexpr size_t kBcryptSettingLength = 29;  // the prefix and the salt: what crypt reads of a hash
constexpr int kLowestCost = 4;
constexpr int kHighestCost = 31;
// Each remembered credential is 32 bytes; a scraper needs one. The bound only stops a client with valid
// credentials from growing the set without end (by varying them); when reached the set starts over.
constexpr size_t kCacheCapacity = 1024;

bool IsBcryptBase64(char c) {
  return c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The cost of a hash shaped as bcrypt ("$2a$", "$2b$" or "$2y$", cost 04 to 31, 53 characters), else nullopt.
std::optional<int> BcryptCost(std::string_view hash) {
  if (hash.size() != kBcryptLength || !hash.starts_with("$2") || hash[3] != '$' || hash[6] != '$') return std::nullopt;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return std::nullopt;
  if (!IsDigit(hash[4]) || !IsDigit(hash[5])) return std::nullopt;
  const int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
  if (cost < kLowestCost || cost > kHighestCost) return std::nullopt;
  if (!std::all_of(hash.begin() + kBcryptPrefixLength, hash.end(), IsBcryptBase64)) return std::nullopt;
  return cost;
}

// The bcrypt of the password with the setting (or hash) given, or nullopt when libxcrypt refuses the setting.
// struct crypt_data is 32 KiB: on the heap, not on the stack of a server thread.
std::optional<std::string> Bcrypt(const std::string& password, const std::string& setting) {
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_rn(password.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  std::optional<std::string> result;
  if (hash != nullptr && hash[0] != '*') result = hash;
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return result;
}

bool EqualInConstantTime(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// libxcrypt must take the hash as it is: one whose salt it would write otherwise (non-canonical trailing bits)
// could never equal a computed hash, and no password would ever be accepted.
bool CryptAccepts(const std::string& hash) {
  const std::optional<std::string> computed = Bcrypt("", hash);
  return computed && computed->size() == hash.size() &&
         computed->compare(0, kBcryptSettingLength, hash, 0, kBcryptSettingLength) == 0;
}

void CheckHash(const std::string& user, const std::string& hash) {
  if (!BcryptCost(hash)) {
    throw std::invalid_argument("basic_auth_users." + user +
                                ": not a bcrypt hash ($2a$, $2b$ or $2y$, a cost of 04 to 31, 53 characters)");
  }
  if (!CryptAccepts(hash))
    throw std::invalid_argument("basic_auth_users." + user + ": a bcrypt hash libxcrypt refuses");
}

// A fresh bcrypt setting of the given cost, which unknown users are checked against.
std::string DummySetting(int cost) {
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
  if (crypt_gensalt_rn("$2b$", cost, nullptr, 0, setting.data(), setting.size()) == nullptr)
    throw std::runtime_error("basic auth: libxcrypt cannot make a bcrypt salt");
  return setting.data();
}

}  // namespace

struct BasicAuth::State {
  std::unordered_map<std::string, std::string> hashes;  // user → bcrypt hash
  std::string dummy_setting;                            // for users not in `hashes`
  std::array<unsigned char, 32> key{};                  // of the digests in `verified`; random per process
  mutable std::mutex mutex;
  mutable std::unordered_set<std::string> verified;  // HMAC-SHA256 digests of credentials once verified

  std::string Digest(const std::string& user, const std::string& password) const;
  bool Remembers(const std::string& digest) const;
  void Remember(std::string digest) const;
};

std::string BasicAuth::State::Digest(const std::string& user, const std::string& password) const {
  std::string message = user;
  message += '\0';  // neither part holds a NUL, so no two pairs make the same message
  message += password;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest.data(), &length);
  OPENSSL_cleanse(message.data(), message.size());
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

bool BasicAuth::State::Remembers(const std::string& digest) const {
  std::lock_guard lock(mutex);
  return verified.contains(digest);
}

void BasicAuth::State::Remember(std::string digest) const {
  std::lock_guard lock(mutex);
  if (verified.size() >= kCacheCapacity) verified.clear();
  verified.insert(std::move(digest));
}

BasicAuth::BasicAuth(std::vector<std::pair<std::string, std::string>> users) : state_(std::make_unique<State>()) {
  int highest_cost = kLowestCost;
  for (auto& [user, hash] : users) {
    CheckHash(user, hash);
    highest_cost = std::max(highest_cost, *BcryptCost(hash));
    if (!state_->hashes.emplace(user, std::move(hash)).second)
      throw std::invalid_argument("basic_auth_users." + user + ": listed twice");
  }
  // An unknown user costs as much as the dearest known one, so that no user's answer comes noticeably faster.
  if (!users.empty()) state_->dummy_setting = DummySetting(highest_cost);
  if (RAND_bytes(state_->key.data(), static_cast<int>(state_->key.size())) != 1)
    throw std::runtime_error("basic auth: no random bytes for the credential cache's key");
}

BasicAuth::~BasicAuth() = default;

// bcrypt runs outside the lock: concurrent requests with credentials not yet remembered are not serialized.
bool BasicAuth::Allows(std::string_view authorization) const {
  const std::optional<BasicCredentials> credentials = ParseBasicCredentials(authorization);
  if (!credentials || empty()) return false;
  std::string digest = state_->Digest(credentials->user, credentials->password);
  if (state_->Remembers(digest)) return true;
  const auto known = state_->hashes.find(credentials->user);
  if (known == state_->hashes.end()) {
    Bcrypt(credentials->password, state_->dummy_setting);
    return false;
  }
  const std::optional<std::string> computed = Bcrypt(credentials->password, known->second);
  if (!computed || !EqualInConstantTime(*computed, known->second)) return false;
  state_->Remember(std::move(digest));
  return true;
}

bool BasicAuth::empty() const { return state_->hashes.empty(); }

}  // namespace hw_exporter
