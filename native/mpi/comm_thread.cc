#include "comm_thread.h"

#include <mpi.h>

#include <chrono>
#include <cstdint>

namespace tgmpi {
namespace {

MPI_Datatype mpi_type(Elem e) {
  switch (e) {
    case Elem::F32: return MPI_FLOAT;
    case Elem::F64: return MPI_DOUBLE;
    case Elem::I32: return MPI_INT32_T;
  }
  return MPI_FLOAT;
}

// Avg is a sum divided afterwards (MPI has no average); integer averages are refused before queuing.
MPI_Op mpi_op(ReduceOp op) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Avg: return MPI_SUM;
    case ReduceOp::Max: return MPI_MAX;
    case ReduceOp::Min: return MPI_MIN;
    case ReduceOp::Product: return MPI_PROD;
  }
  return MPI_SUM;
}

// The sum divided by the world size in the element type, as PyTorch's average.
template <typename T>
void divide(void* data, int count, int by) {
  T* p = static_cast<T*>(data);
  const T d = (T)by;
  for (int i = 0; i < count; i++) p[i] = p[i] / d;
}

std::string mpi_error(const char* what, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(code, text, &len) != MPI_SUCCESS) len = 0;
  return std::string(what) + " failed: " + std::string(text, (size_t)len);
}

}  // namespace

double now_ms() {
  using namespace std::chrono;
  return (double)duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1000.0;
}

void CommThread::start() { thread_ = std::thread([this] { run(); }); }

void CommThread::submit(const std::shared_ptr<Job>& job) {
  job->queued_ms = now_ms();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(job);
  }
  queued_cv_.notify_one();
}

void CommThread::wait(const std::shared_ptr<Job>& job) {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return job->done; });
}

bool CommThread::is_done(const std::shared_ptr<Job>& job) {
  std::lock_guard<std::mutex> lock(mu_);
  return job->done;
}

void CommThread::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  queued_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void CommThread::run() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      queued_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has run
      job = queue_.front();
      queue_.pop_front();
    }
    execute(*job);
    {
      std::lock_guard<std::mutex> lock(mu_);
      job->done = true;
    }
    done_cv_.notify_all();
  }
}

void CommThread::execute(Job& job) {
  job.started_ms = now_ms();
  const MPI_Datatype type = mpi_type(job.elem);
  int rc = MPI_SUCCESS;
  const char* what = "";
  switch (job.kind) {
    case Kind::AllReduce:
      what = "MPI_Allreduce";
      rc = MPI_Allreduce(MPI_IN_PLACE, job.recv, job.count, type, mpi_op(job.op), MPI_COMM_WORLD);
      break;
    case Kind::Broadcast:
      what = "MPI_Bcast";
      rc = MPI_Bcast(job.recv, job.count, type, job.root, MPI_COMM_WORLD);
      break;
    case Kind::AllGather:
      what = "MPI_Allgather";
      rc = MPI_Allgather(job.send, job.count, type, job.recv, job.count, type, MPI_COMM_WORLD);
      break;
    case Kind::ReduceScatter:
      what = "MPI_Reduce_scatter_block";
      rc = MPI_Reduce_scatter_block(job.send, job.recv, job.count, type, mpi_op(job.op), MPI_COMM_WORLD);
      break;
    case Kind::Barrier:
      what = "MPI_Barrier";
      rc = MPI_Barrier(MPI_COMM_WORLD);
      break;
  }
  if (rc != MPI_SUCCESS) {
    job.error = mpi_error(what, rc);
  } else if (job.op == ReduceOp::Avg && (job.kind == Kind::AllReduce || job.kind == Kind::ReduceScatter)) {
    if (job.elem == Elem::F32) divide<float>(job.recv, job.count, world_size_);
    if (job.elem == Elem::F64) divide<double>(job.recv, job.count, world_size_);
  }
  job.finished_ms = now_ms();
}

}  // namespace tgmpi
