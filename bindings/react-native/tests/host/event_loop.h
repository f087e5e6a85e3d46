// The test host's JS thread: a minimal event loop, the CallInvoker React
// Native would give a TurboModule, and the timers JS needs (JSC alone has
// none). One loop per runtime; only the thread that runs it touches JS.
#pragma once

#include <ReactCommon/CallInvoker.h>
#include <jsi/jsi.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace werun_test {

using facebook::react::CallFunc;
using Clock = std::chrono::steady_clock;

// Tasks posted from any thread, run in order on the loop's thread.
class TaskQueue {
  public:
    void post(CallFunc task) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            tasks_.push_back(std::move(task));
        }
        ready_.notify_one();
    }

    // The next task, waiting until `deadline` at most.
    std::optional<CallFunc> take(Clock::time_point deadline) {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait_until(lock, deadline, [this] { return !tasks_.empty(); });
        if (tasks_.empty()) return std::nullopt;
        CallFunc task = std::move(tasks_.front());
        tasks_.pop_front();
        return task;
    }

    // Drops every queued task without running it, as React Native does with
    // a runtime it tears down. Destroying a task may post another; those go
    // too. Tasks are destroyed outside the lock.
    size_t discard() {
        size_t discarded = 0;
        for (;;) {
            std::deque<CallFunc> dropped;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                dropped.swap(tasks_);
            }
            if (dropped.empty()) return discarded;
            discarded += dropped.size();
        }
    }

  private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<CallFunc> tasks_;
};

// React Native's contract: invokeAsync from any thread runs the function on
// the JS thread, later.
class LoopCallInvoker : public facebook::react::CallInvoker {
  public:
    explicit LoopCallInvoker(std::shared_ptr<TaskQueue> queue) : queue_(std::move(queue)) {}

    void invokeAsync(CallFunc &&func) noexcept override { queue_->post(std::move(func)); }

    // Not used by the module: posts `func` to the JS thread and waits for it
    // to run, so a call from the JS thread itself would never return.
    void invokeSync(CallFunc &&func) override {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        queue_->post([&](facebook::jsi::Runtime &rt) {
            func(rt);
            std::lock_guard<std::mutex> lock(mutex);
            done = true;
            done_cv.notify_one();
        });
        std::unique_lock<std::mutex> lock(mutex);
        done_cv.wait(lock, [&] { return done; });
    }

  private:
    std::shared_ptr<TaskQueue> queue_;
};

// setTimeout's timers, on the JS thread only (they hold JS functions).
class Timers {
  public:
    uint64_t add(Clock::duration delay, facebook::jsi::Function callback) {
        uint64_t id = next_id_++;
        timers_.emplace(id, Timer{Clock::now() + delay, std::move(callback)});
        return id;
    }

    void cancel(uint64_t id) { timers_.erase(id); }

    // The earliest deadline, or `otherwise` when no timer is set.
    Clock::time_point next_deadline(Clock::time_point otherwise) const {
        Clock::time_point next = otherwise;
        for (const auto &[id, timer] : timers_) {
            if (timer.deadline < next) next = timer.deadline;
        }
        return next;
    }

    // Removes and returns a timer that is due, the earliest first (by
    // deadline, then by id so equal deadlines fire in the order they were set).
    std::optional<facebook::jsi::Function> take_due() {
        auto due = timers_.end();
        Clock::time_point now = Clock::now();
        for (auto it = timers_.begin(); it != timers_.end(); ++it) {
            if (it->second.deadline <= now && (due == timers_.end() || it->second.deadline < due->second.deadline)) {
                due = it;
            }
        }
        if (due == timers_.end()) return std::nullopt;
        facebook::jsi::Function callback = std::move(due->second.callback);
        timers_.erase(due);
        return callback;
    }

    bool empty() const { return timers_.empty(); }
    void clear() { timers_.clear(); }

  private:
    struct Timer {
        Clock::time_point deadline;
        facebook::jsi::Function callback;
    };
    std::map<uint64_t, Timer> timers_;
    uint64_t next_id_ = 1;
};

}  // namespace werun_test
