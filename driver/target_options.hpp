// The flags that point a command at a server the harness did not start, in one place for every
// command that takes --target (run, bench): where (--target), who (--user, --password,
// --password-file, REDPROOF_PASSWORD), how (--tls, --cacert, --cert, --key, --sni), and the
// consent to go off this machine (--allow-remote). Checked once parsing ends, before any
// connection or name lookup.
#pragma once

#include <memory>
#include <string>

#include "driver/topology/target_address.hpp"
#include "redis/connection_security.hpp"

namespace CLI {
class App;
}

namespace redproof {

struct TargetSpec {
  std::string text;  // --target as given; empty: no --target (the harness starts its servers)
  TargetAddress address;
  bool remote = false;  // outside loopback and the harness's namespaces (--allow-remote was given)
  // --allow-remote was given: servers a Sentinel or a cluster names may be remote too. Without
  // it, a local Sentinel naming a remote master, or a local cluster node listing a remote one,
  // is refused at setup as a remote --target is.
  bool allow_remote = false;
  // AUTH and TLS for every connection to the target; null when neither is asked for.
  std::shared_ptr<const redis::ConnectionSecurity> security;
};

// Registers the flags on `cmd`. When `cmd` has been parsed, `spec` holds them checked: the
// password read, the TLS files loaded. A flag without the one it goes with, an unreadable file,
// or a remote target without --allow-remote is a CLI::ValidationError (one line, exit 2).
// `spec` must outlive the parse.
void add_target_options(CLI::App& cmd, TargetSpec& spec);

// Empty when `fault` may run against `spec`'s target, else why not in one line. A remote target
// allows only faults that need no control of the server: none, pause-client and the proxy-*
// faults.
std::string remote_fault_problem(const TargetSpec& spec, const std::string& fault);

// Overwrites, in place, the value of every `--password VALUE` or `--password=VALUE` in argv with
// '*', after the command line has been parsed (CLI11 keeps its own copies): argv's memory is what
// ps and /proc/PID/cmdline show, so the secret leaves the process title within the first
// moments of the run. (Before that it is visible: REDPROOF_PASSWORD or --password-file is better.)
void hide_password_arguments(int argc, char** argv);

// The first line of `path` (at most 4 KiB, without its line end). Throws std::runtime_error
// naming the file when it cannot be read, is too long, or the line is empty.
std::string read_password_file(const std::string& path);

}  // namespace redproof
