// The TLS settings of a target, loaded once and shared by every connection: the CA that signs
// the server's certificate, an optional client certificate and key, and the name to present
// (SNI) and verify. OpenSSL (through Boost.Asio's ssl::context) stays behind this header.
#pragma once

#include <memory>
#include <string>

namespace redproof::redis {

struct TlsSettings {
  std::string cacert;  // PEM CA file; empty: the system's trusted CAs
  std::string cert;    // PEM client certificate (chain); empty: none
  std::string key;     // PEM private key of `cert`
  std::string sni;     // server name to send and to verify; empty: the target's host
};

class TlsContext {
 public:
  // Throws std::runtime_error naming the file that could not be loaded and why.
  explicit TlsContext(const TlsSettings& settings);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  const TlsSettings& settings() const { return settings_; }
  // The boost::asio::ssl::context, for redis/tls_stream.cpp.
  void* native() const;

 private:
  struct Impl;
  TlsSettings settings_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace redproof::redis
