// libFuzzer's entry point for one fuzz target; REDPROOF_FUZZ_ENTRY names the function of
// entries/fuzz_entries.hpp it calls (one executable per entry, see CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "fuzz/entries/fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  redproof::fuzz::REDPROOF_FUZZ_ENTRY(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
