#pragma once
// Runs the built tracefold binary (path in $TRACEFOLD_BIN) as a child process and captures
// what it prints, for the CLI tests.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/text.hpp"

extern char** environ;

namespace tft {

/// What a run of the binary gave.
struct process_result {
  int status = -1;  ///< exit status, or -1 when it did not exit normally
  int signal = 0;   ///< the signal that ended it, 0 if none
  std::string out;  ///< standard output
  std::string err;  ///< standard error
  /// Peak resident memory of the child (getrusage via wait4). Linux carries the high-water
  /// mark of the spawning process's memory into the child, so only a small test process
  /// measures a child's own peak (test_cli_memory is one).
  long max_rss_kb = 0;
};

/// The binary under test.
inline std::string tracefold_bin() {
  const char* p = std::getenv("TRACEFOLD_BIN");
  return p != nullptr ? p : "tracefold";
}

/// A scratch directory, removed with everything in it at the end of the test.
struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    std::string t = (std::filesystem::temp_directory_path() / "tracefold-cli-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

/// A started child; `wait()` collects it.
struct child {
  pid_t pid = -1;
  std::filesystem::path out_file, err_file;
  process_result wait() {
    process_result r;
    int st = 0;
    struct rusage ru {};
    ::wait4(pid, &st, 0, &ru);
    if (WIFEXITED(st)) r.status = WEXITSTATUS(st);
    if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
    r.max_rss_kb = ru.ru_maxrss;
    r.out = slurp(out_file);
    r.err = slurp(err_file);
    return r;
  }
};

/// Starts tracefold with `args`; standard input from `stdin_file` (or /dev/null); output to
/// files in `dir`.
inline child start(const std::vector<std::string>& args, const std::filesystem::path& dir,
                   const std::filesystem::path& stdin_file = "/dev/null",
                   const std::vector<std::string>& env_extra = {}) {
  static int counter = 0;
  child c;
  ++counter;
  c.out_file = dir / ("stdout-" + std::to_string(counter));
  c.err_file = dir / ("stderr-" + std::to_string(counter));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, stdin_file.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, c.out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, c.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string bin = tracefold_bin();
  std::vector<std::string> all{bin};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e != nullptr; ++e) env_store.emplace_back(*e);
  for (const std::string& e : env_extra) env_store.push_back(e);
  std::vector<char*> envp;
  for (std::string& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  if (posix_spawn(&c.pid, bin.c_str(), &fa, nullptr, argv.data(), envp.data()) != 0) c.pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  return c;
}

/// Runs tracefold with `args` to the end.
inline process_result run_tracefold(const std::vector<std::string>& args,
                                    const std::filesystem::path& dir,
                                    const std::filesystem::path& stdin_file = "/dev/null",
                                    const std::vector<std::string>& env_extra = {}) {
  child c = start(args, dir, stdin_file, env_extra);
  if (c.pid < 0) return {};
  return c.wait();
}

/// Files under `dir` (recursively) whose name contains `part`.
inline std::vector<std::filesystem::path> files_named(const std::filesystem::path& dir,
                                                      const std::string& part) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.path().filename().string().find(part) != std::string::npos) out.push_back(e.path());
  return out;
}

}  // namespace tft
