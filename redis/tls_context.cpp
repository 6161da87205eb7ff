#include "redis/tls_context.hpp"

#include <boost/asio/ssl/context.hpp>
#include <stdexcept>

namespace redproof::redis {

namespace ssl = boost::asio::ssl;

struct TlsContext::Impl {
  ssl::context context{ssl::context::tls_client};
};

namespace {

// Loads one file into the context, or throws naming the flag and the file.
template <typename Load>
void load(const char* flag, const std::string& path, Load&& load_file) {
  boost::system::error_code ec;
  load_file(ec);
  if (ec) {
    throw std::runtime_error(std::string(flag) + " " + path +
                             ": cannot be loaded: " + ec.message());
  }
}

}  // namespace

TlsContext::TlsContext(const TlsSettings& settings)
    : settings_(settings), impl_(std::make_unique<Impl>()) {
  ssl::context& c = impl_->context;
  c.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  c.set_verify_mode(ssl::verify_peer);
  if (settings.cacert.empty()) {
    load("(system CAs)", "", [&](auto& ec) { c.set_default_verify_paths(ec); });
  } else {
    load("--cacert", settings.cacert, [&](auto& ec) { c.load_verify_file(settings.cacert, ec); });
  }
  if (!settings.cert.empty()) {
    load("--cert", settings.cert,
         [&](auto& ec) { c.use_certificate_chain_file(settings.cert, ec); });
    load("--key", settings.key,
         [&](auto& ec) { c.use_private_key_file(settings.key, ssl::context::pem, ec); });
  }
}

TlsContext::~TlsContext() = default;

void* TlsContext::native() const {
  return &impl_->context;
}

}  // namespace redproof::redis
