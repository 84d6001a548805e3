#include "interrupt.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace tracefold::cli {

namespace {

std::mutex registry_mutex;
std::vector<std::string> registry;  // temporary paths; an empty string is a free slot

int register_path(const std::filesystem::path& p) {
  for (std::size_t i = 0; i < registry.size(); ++i)
    if (registry[i].empty()) {
      registry[i] = p.string();
      return static_cast<int>(i);
    }
  registry.push_back(p.string());
  return static_cast<int>(registry.size() - 1);
}

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, s);
  return set;
}

void wait_for_signal() {
  const sigset_t set = handled_signals();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  // Hold the lock until the process ends: no output can be created or committed any more.
  registry_mutex.lock();
  for (const std::string& p : registry)
    if (!p.empty()) ::unlink(p.c_str());
  static const char msg[] = "tracefold: interrupted; no partial output was left\n";
  [[maybe_unused]] auto n = ::write(2, msg, sizeof msg - 1);
  // End the way the signal would have ended us, so the parent sees it.
  ::signal(sig, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, sig);
  pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  ::raise(sig);
  std::_Exit(128 + sig);
}

}  // namespace

void install_interrupt_handling() {
  const sigset_t set = handled_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(wait_for_signal).detach();
}

output_file::output_file(std::filesystem::path path, bool sync)
    : file_([&] {
        registry_mutex.lock();
        try {
          return emit::atomic_file(std::move(path), sync);
        } catch (...) {
          registry_mutex.unlock();
          throw;
        }
      }()) {
  slot_ = register_path(file_.temporary_path());
  registry_mutex.unlock();
}

output_file::~output_file() {
  const std::lock_guard lock(registry_mutex);
  file_.discard();
  if (slot_ >= 0) registry[static_cast<std::size_t>(slot_)].clear();
}

void output_file::commit() {
  const std::lock_guard lock(registry_mutex);
  // Whatever commit does (it removes the temporary file when it fails), the slot is done.
  registry[static_cast<std::size_t>(slot_)].clear();
  slot_ = -1;
  file_.commit();
}

}  // namespace tracefold::cli
