#pragma once
// One communication thread that runs MPI collectives in the order they were queued, so the JS thread
// never blocks inside MPI unless it asks to wait. Every rank queues the same collectives in the same order
// (MPI's rule), and one thread keeps that order.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace tgmpi {

enum class Kind { AllReduce, Broadcast, AllGather, ReduceScatter, Barrier };
enum class ReduceOp { Sum, Avg, Max, Min, Product };
enum class Elem { F32, F64, I32 };

struct Job {
  Kind kind = Kind::Barrier;
  ReduceOp op = ReduceOp::Sum;
  Elem elem = Elem::F32;
  int root = 0;
  void* send = nullptr;  // AllGather/ReduceScatter input; null for the in-place collectives
  void* recv = nullptr;  // the buffer written (in place for AllReduce/Broadcast)
  int count = 0;         // elements: of the buffer (AllReduce/Broadcast), of one rank's part (AllGather/ReduceScatter)
  // Wall-clock milliseconds (comparable with performance.timeOrigin + performance.now()).
  double queued_ms = 0, started_ms = 0, finished_ms = 0;
  bool done = false;     // guarded by CommThread's mutex
  std::string error;     // empty when the collective succeeded
};

class CommThread {
 public:
  explicit CommThread(int world_size) : world_size_(world_size) {}
  ~CommThread() { stop(); }
  void start();
  // Queues a job; the caller keeps its buffers alive until the job is done.
  void submit(const std::shared_ptr<Job>& job);
  // Blocks until the job is done.
  void wait(const std::shared_ptr<Job>& job);
  bool is_done(const std::shared_ptr<Job>& job);
  // Runs what is queued, then joins the thread.
  void stop();

 private:
  void run();
  void execute(Job& job);

  int world_size_;
  std::mutex mu_;
  std::condition_variable queued_cv_;
  std::condition_variable done_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

double now_ms();

}  // namespace tgmpi
