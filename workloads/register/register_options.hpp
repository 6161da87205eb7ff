// The register workload's knobs (declared in register_workload.cpp's table), typed.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "workloads/knobs.hpp"

namespace redproof::reg {

enum class RegisterVariant {
  kGetSet,  // GET and SET: a plain register
  kLuaCas,  // GET, SET and a compare-and-set in Lua: a cas-register
};

struct RegisterOptions {
  RegisterVariant variant = RegisterVariant::kGetSet;
  int keys = 4;    // registers in use at a time
  int values = 0;  // 0: every write unique; N: values 0..N-1, so reads often collide
  // Keys are replaced by fresh ones this often, bounding each key's history (and so the
  // linearizability search), as Jepsen's independent generators do.
  std::chrono::milliseconds key_period{2000};
  std::chrono::milliseconds think{1};      // pause between a worker's operations
  std::chrono::milliseconds ttl{3600000};  // set by every write; 0: none
};

RegisterOptions register_options(RegisterVariant variant, const KnobValues& knobs);

}  // namespace redproof::reg
