#include "redis/tls_stream.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace redproof::redis {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}
}  // namespace

struct TlsStream::Impl {
  Impl(asio::any_io_executor executor, const TlsContext& c)
      : context(c), stream(executor, *static_cast<ssl::context*>(c.native())) {}
  const TlsContext& context;
  ssl::stream<tcp::socket> stream;
};

TlsStream::TlsStream(asio::any_io_executor executor, const TlsContext& context)
    : impl_(std::make_unique<Impl>(executor, context)) {}

TlsStream::~TlsStream() = default;

tcp::socket& TlsStream::socket() {
  return impl_->stream.next_layer();
}

asio::awaitable<std::string> TlsStream::handshake(const std::string& host) {
  const std::string& sni = impl_->context.settings().sni;
  const std::string name = sni.empty() ? host : sni;
  // SNI carries host names only (RFC 6066); an address is still verified against the
  // certificate's IP entries.
  if (!is_ip_literal(name)) SSL_set_tlsext_host_name(impl_->stream.native_handle(), name.c_str());
  impl_->stream.set_verify_callback(ssl::host_name_verification(name));
  auto [ec] = co_await impl_->stream.async_handshake(ssl::stream_base::client, use_tuple);
  if (!ec) co_return std::string();
  std::string why = "TLS handshake: " + ec.message();
  const long verify = SSL_get_verify_result(impl_->stream.native_handle());
  if (verify != X509_V_OK) {
    why += " (" + std::string(X509_verify_cert_error_string(verify)) + "; verifying " + name + ")";
  }
  co_return why;
}

asio::awaitable<TlsStream::Outcome> TlsStream::read_some(asio::mutable_buffer buffer) {
  co_return co_await impl_->stream.async_read_some(buffer, use_tuple);
}

asio::awaitable<TlsStream::Outcome> TlsStream::write_all(asio::const_buffer buffer) {
  co_return co_await asio::async_write(impl_->stream, buffer, use_tuple);
}

}  // namespace redproof::redis
