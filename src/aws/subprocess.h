// Running a helper program (credential_process) and capturing what it prints.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "util/result.h"

namespace costwatch::aws {

struct ProcessOutput {
  int exit_status = -1;  // when it exited normally
  int signal = 0;        // when a signal ended it (including our kill after the timeout)
  bool timed_out = false;
  bool output_truncated = false;  // stdout or stderr was longer than max_output and was cut
  std::string out;
  std::string err;
};

// Runs argv[0] (found on PATH) with argv, without a shell, as Python's subprocess does for
// botocore. stdin and the environment are inherited; stdout and stderr are captured up to
// max_output bytes each. After `timeout` the process is killed. An Error only when it could not
// be started; its message names argv[0] but no other argument, which may hold a secret.
Result<ProcessOutput> RunProcess(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout, size_t max_output);

}  // namespace costwatch::aws
