#include "hw_exporter/core/thread_registry.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace hw_exporter {

namespace {

using SteadyClock = std::chrono::steady_clock;

// One thread's activity, written by that thread and read by whoever lists the threads. A mutex per slot rather
// than a seqlock: uncontended it costs about as much, and ThreadSanitizer can check it.
struct Slot {
  pid_t tid = 0;
  std::mutex mutex;
  const char* what = nullptr;  // null while idle
  char subject[120] = "";
  SteadyClock::time_point since = SteadyClock::now();
};

struct Registry {
  std::mutex mutex;
  std::vector<Slot*> slots;
};

// Never destroyed: threads that outlive main's return (a hung refresh, detached) still unregister into it.
Registry& TheRegistry() {
  static auto* registry = new Registry;
  return *registry;
}

// The calling thread's slot, registered from construction until the thread ends.
struct Registration {
  Slot slot;
  Registration() {
    slot.tid = gettid();
    std::lock_guard lock(TheRegistry().mutex);
    TheRegistry().slots.push_back(&slot);
  }
  ~Registration() {
    Registry& registry = TheRegistry();
    std::lock_guard lock(registry.mutex);
    std::erase(registry.slots, &slot);
  }
};

thread_local std::unique_ptr<Registration> registration;

}  // namespace

void RegisterThisThread() {
  if (!registration) registration = std::make_unique<Registration>();
}

void NameThisThread(std::string_view name) {
  RegisterThisThread();  // first, so that a thread listed under its own name is always registered
  char truncated[16] = "";
  name.copy(truncated, std::min(name.size(), sizeof truncated - 1));
  pthread_setname_np(pthread_self(), truncated);
}

Activity::Activity(const char* what, std::initializer_list<std::string_view> parts) {
  if (!registration) return;
  Slot& slot = registration->slot;
  std::lock_guard lock(slot.mutex);
  std::size_t length = 0;
  for (std::string_view part : parts) length += part.copy(slot.subject + length, sizeof slot.subject - 1 - length);
  slot.subject[length] = '\0';
  slot.what = what;
  slot.since = SteadyClock::now();
}

Activity::~Activity() {
  if (!registration) return;
  Slot& slot = registration->slot;
  std::lock_guard lock(slot.mutex);
  slot.what = nullptr;
  slot.since = SteadyClock::now();
}

std::vector<ThreadActivity> RegisteredThreads() {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  std::vector<ThreadActivity> threads;
  threads.reserve(registry.slots.size());
  const SteadyClock::time_point now = SteadyClock::now();
  for (Slot* slot : registry.slots) {
    std::lock_guard slot_lock(slot->mutex);
    ThreadActivity& thread = threads.emplace_back();
    thread.tid = slot->tid;
    thread.busy = slot->what != nullptr;
    if (thread.busy) thread.doing = std::string(slot->what) + " " + slot->subject;
    thread.for_how_long = now - slot->since;
  }
  return threads;
}

}  // namespace hw_exporter
