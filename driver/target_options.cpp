#include "driver/target_options.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include "redis/tls_context.hpp"

namespace redproof {

namespace {

constexpr std::size_t kPasswordFileLimit = 4096;
constexpr const char* kPasswordVariable = "REDPROOF_PASSWORD";

// The flags as typed, before they are checked.
struct TargetFlags {
  std::string target;
  std::string user;
  std::string password;
  std::string password_file;
  bool tls = false;
  redis::TlsSettings tls_settings;
  bool allow_remote = false;
};

// The password from --password-file, --password or REDPROOF_PASSWORD (in that order of
// preference; giving two of the flags is an error). Empty: none.
std::string resolve_password(const TargetFlags& f) {
  if (!f.password.empty() && !f.password_file.empty()) {
    throw CLI::ValidationError("--password and --password-file: give one of them");
  }
  if (!f.password_file.empty()) {
    try {
      return read_password_file(f.password_file);
    } catch (const std::exception& e) {
      throw CLI::ValidationError(e.what());
    }
  }
  if (!f.password.empty()) return f.password;
  const char* env = std::getenv(kPasswordVariable);
  return env ? std::string(env) : std::string();
}

// Flags that only mean something beside another one.
void require_companions(const TargetFlags& f) {
  auto needs = [](bool given, const char* flag, const char* companion) {
    if (given) throw CLI::ValidationError(std::string(flag) + " goes with " + companion);
  };
  if (f.target.empty()) {
    needs(!f.user.empty(), "--user", "--target");
    needs(!f.password.empty(), "--password", "--target");
    needs(!f.password_file.empty(), "--password-file", "--target");
    needs(f.tls, "--tls", "--target");
    needs(f.allow_remote, "--allow-remote", "--target");
  }
  if (!f.tls) {
    needs(!f.tls_settings.cacert.empty(), "--cacert", "--tls");
    needs(!f.tls_settings.cert.empty(), "--cert", "--tls");
    needs(!f.tls_settings.key.empty(), "--key", "--tls");
    needs(!f.tls_settings.sni.empty(), "--sni", "--tls");
  }
  needs(f.tls_settings.cert.empty() != f.tls_settings.key.empty(), "--cert",
        "--key (both or neither)");
}

std::shared_ptr<const redis::ConnectionSecurity> make_security(const TargetFlags& f) {
  auto s = std::make_shared<redis::ConnectionSecurity>();
  s->user = f.user;
  s->password = resolve_password(f);
  if (!s->user.empty() && s->password.empty()) {
    throw CLI::ValidationError("--user " + f.user + ": needs a password (--password-file, " +
                               kPasswordVariable + " or --password)");
  }
  if (f.tls) {
    try {
      s->tls = std::make_shared<const redis::TlsContext>(f.tls_settings);
    } catch (const std::exception& e) {
      throw CLI::ValidationError(e.what());
    }
  }
  if (!s->authenticates() && !s->tls) return nullptr;
  return s;
}

TargetSpec resolve(const TargetFlags& f) {
  require_companions(f);
  TargetSpec spec;
  if (f.target.empty()) return spec;
  spec.text = f.target;
  spec.allow_remote = f.allow_remote;
  try {
    spec.address = parse_target(f.target);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError(e.what());
  }
  if (const redis::Endpoint* remote = first_remote_endpoint(spec.address)) {
    if (!f.allow_remote) {
      throw CLI::ValidationError("--target " + f.target + ": " + remote_refusal(remote->host));
    }
    spec.remote = true;
  }
  spec.security = make_security(f);
  return spec;
}

}  // namespace

std::string read_password_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("--password-file " + path +
                             ": cannot be read: " + std::strerror(errno));
  }
  std::string line;
  char c = 0;
  while (in.get(c) && c != '\n') {
    if (line.size() == kPasswordFileLimit) {
      throw std::runtime_error("--password-file " + path + ": first line longer than " +
                               std::to_string(kPasswordFileLimit) + " bytes");
    }
    line.push_back(c);
  }
  if (in.bad()) throw std::runtime_error("--password-file " + path + ": read error");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw std::runtime_error("--password-file " + path + ": first line is empty");
  return line;
}

void add_target_options(CLI::App& cmd, TargetSpec& spec) {
  auto f = std::make_shared<TargetFlags>();
  cmd.add_option("--target", f->target,
                 "an existing server to use instead of starting one: HOST:PORT, "
                 "sentinel://HOST:PORT[,HOST:PORT]/MASTERNAME or cluster://HOST:PORT[,HOST:PORT]");
  cmd.add_option("--user", f->user, "ACL user for AUTH to --target (default: the default user)");
  cmd.add_option("--password", f->password,
                 "password for AUTH to --target; visible to other local users in the process "
                 "list, so prefer --password-file or REDPROOF_PASSWORD");
  cmd.add_option("--password-file", f->password_file,
                 "file whose first line is the password for AUTH to --target");
  cmd.add_flag("--tls", f->tls, "connect to --target over TLS");
  cmd.add_option("--cacert", f->tls_settings.cacert,
                 "PEM CA certificate(s) the server's certificate must chain to (default: the "
                 "system's)");
  cmd.add_option("--cert", f->tls_settings.cert, "PEM client certificate for TLS (with --key)");
  cmd.add_option("--key", f->tls_settings.key, "PEM private key of --cert");
  cmd.add_option("--sni", f->tls_settings.sni,
                 "server name to send and to verify the certificate against (default: the "
                 "--target host)");
  cmd.add_flag("--allow-remote", f->allow_remote,
               "allow a --target outside loopback and redproof's own namespaces (then only "
               "faults that need no control of the server)");
  cmd.parse_complete_callback([f, &spec] {
    spec = resolve(*f);
    f->password.assign(f->password.size(), '\0');  // the one copy left is in `spec`
    f->password.clear();
  });
}

std::string remote_fault_problem(const TargetSpec& spec, const std::string& fault) {
  if (!spec.remote) return {};
  if (fault == "none" || fault == "pause-client" || fault.starts_with("proxy-")) return {};
  return "fault " + fault + " needs control of the server; with --allow-remote only none, " +
         "pause-client and the proxy-* faults run";
}

void hide_password_arguments(int argc, char** argv) {
  constexpr std::string_view kFlag = "--password";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    char* value = nullptr;
    if (arg == kFlag && i + 1 < argc) {
      value = argv[++i];
    } else if (arg.size() > kFlag.size() && arg.starts_with(kFlag) && arg[kFlag.size()] == '=') {
      value = argv[i] + kFlag.size() + 1;
    }
    for (; value && *value; ++value) *value = '*';
  }
}

}  // namespace redproof
