// JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters): one <testsuite> for the
// plan, one <testcase> per run and seed (classname = the run's name, name = "seed N"), a
// <failure message=...> saying what differed, <skipped/> for seeds that never ran, and the
// results directory and replay command in <system-out>. A run compared with a baseline gets one
// more testcase, "baseline", that fails when a figure regressed.
#pragma once

#include <string>

#include "results/suite_report.hpp"

namespace redproof {

std::string junit_xml(const SuiteResult& suite);

// Writes junit_xml() to `path` (atomically, creating its directory). Throws std::runtime_error.
void write_junit(const SuiteResult& suite, const std::string& path);

}  // namespace redproof
