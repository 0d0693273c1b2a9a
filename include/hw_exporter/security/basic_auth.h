#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hw_exporter {

// HTTP basic authentication against bcrypt hashes, as exporter-toolkit's basic_auth_users.
class BasicAuth {
 public:
  // Throws std::invalid_argument naming the user whose hash is not a bcrypt hash ($2a$, $2b$, $2y$).
  explicit BasicAuth(std::vector<std::pair<std::string, std::string>> users);
  ~BasicAuth();
  BasicAuth(const BasicAuth&) = delete;
  BasicAuth& operator=(const BasicAuth&) = delete;

  // Whether the value of an Authorization header ("Basic <base64 of user:password>") names a user and their
  // password. An unknown user costs a bcrypt all the same, so that timing does not tell which users exist.
  // Credentials once verified are remembered (by a salted digest, never in clear), so that a scraper pays one
  // bcrypt, not one per scrape. Thread-safe.
  bool Allows(std::string_view authorization) const;

  bool empty() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hw_exporter
