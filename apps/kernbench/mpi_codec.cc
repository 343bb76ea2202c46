#include "mpi_codec.h"

#include <bit>
#include <new>
#include <stdexcept>
#include <vector>

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"

namespace kernbench::apps {
namespace {

class ByteWriter {
 public:
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void text(std::string_view s) {
    u64(s.size());
    out_ += s;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  std::uint64_t u64() {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v |= std::uint64_t{static_cast<unsigned char>(in_[at_ + static_cast<std::size_t>(i)])}
           << (8 * i);
    at_ += 8;
    return v;
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  int i32() { return static_cast<int>(i64()); }
  bool flag() { return u64() != 0; }
  bool done() const { return at_ == in_.size(); }
  double f64() { return std::bit_cast<double>(u64()); }
  std::string text() {
    const std::uint64_t n = u64();
    need(n);
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }

 private:
  // Bytes from another process of the same program: a short message is our bug.
  void need(std::uint64_t n) const {
    if (n > in_.size() - at_) throw base::InternalError("a gathered MPI message ends too early");
  }
  std::string_view in_;
  std::size_t at_ = 0;
};

void put(ByteWriter& w, const report::Busiest& b) {
  w.i64(static_cast<int>(b.kind));
  w.text(b.resource);
  w.text(b.track);
  w.f64(b.utilization);
  w.i64(b.equally_busy);
}

report::Busiest get_busiest(ByteReader& r) {
  report::Busiest b;
  b.kind = static_cast<report::ResourceKind>(r.i32());
  b.resource = r.text();
  b.track = r.text();
  b.utilization = r.f64();
  b.equally_busy = r.i32();
  return b;
}

void put(ByteWriter& w, const std::vector<report::Busiest>& list) {
  w.u64(list.size());
  for (const report::Busiest& b : list) put(w, b);
}

std::vector<report::Busiest> get_busiest_list(ByteReader& r) {
  std::vector<report::Busiest> list(r.u64());
  for (report::Busiest& b : list) b = get_busiest(r);
  return list;
}

void put(ByteWriter& w, const report::PhaseRecord& p) {
  w.text(p.name);
  w.i64(p.start.ps());
  w.i64(p.duration.ps());
  w.u64(p.bytes);
  w.f64(p.flops);
  put(w, p.busiest);
  w.u64(p.translation.has_value());
  if (p.translation) {
    w.u64(p.translation->tlb_lookups);
    w.u64(p.translation->tlb_misses);
    w.u64(p.translation->tlb_reach_bytes);
  }
}

report::PhaseRecord get_phase(ByteReader& r) {
  report::PhaseRecord p;
  p.name = r.text();
  p.start = base::SimTime::from_ps(r.i64());
  p.duration = base::SimTime::from_ps(r.i64());
  p.bytes = r.u64();
  p.flops = r.f64();
  p.busiest = get_busiest_list(r);
  if (r.flag()) {
    report::TranslationRecord t;
    t.tlb_lookups = r.u64();
    t.tlb_misses = r.u64();
    t.tlb_reach_bytes = r.u64();
    p.translation = t;
  }
  return p;
}

// The kinds of error a point may end in, each rethrown as the command line expects it.
enum class ErrorKind : std::uint8_t { config, input_size, host_memory, error, bad_alloc, internal };

[[noreturn]] void throw_error(ErrorKind kind, const std::string& what,
                              std::vector<std::string> problems) {
  switch (kind) {
    case ErrorKind::config: throw base::ConfigError(std::move(problems));
    case ErrorKind::input_size: throw base::InputSizeLimitError(std::move(problems));
    case ErrorKind::host_memory: throw base::HostMemoryLimitError(what);
    case ErrorKind::error: throw base::Error(what);
    case ErrorKind::bad_alloc: throw std::bad_alloc();
    case ErrorKind::internal: break;
  }
  throw std::runtime_error(what);
}

}  // namespace

std::string encode_record(const report::BenchRecord& record) {
  ByteWriter w;
  w.text(record.name);
  w.text(record.shape);
  w.i64(record.pes);
  w.i64(record.time.ps());
  w.u64(record.bytes);
  w.f64(record.flops);
  w.f64(record.peak_flops);
  w.f64(record.peak_bytes_per_second);
  w.u64(record.roofline.has_value());
  if (record.roofline) {
    w.f64(record.roofline->matrix_peak_flops);
    w.f64(record.roofline->memory_bound_flops);
    w.text(record.roofline->bound);
  }
  w.u64(record.phases.size());
  for (const report::PhaseRecord& p : record.phases) put(w, p);
  put(w, record.busiest);
  w.u64(record.check.checked);
  w.u64(record.check.pass);
  w.f64(record.check.max_error);
  w.text(record.check.detail);
  return w.take();
}

report::BenchRecord decode_record(std::string_view bytes) {
  ByteReader r(bytes);
  report::BenchRecord record;
  record.name = r.text();
  record.shape = r.text();
  record.pes = r.i32();
  record.time = base::SimTime::from_ps(r.i64());
  record.bytes = r.u64();
  record.flops = r.f64();
  record.peak_flops = r.f64();
  record.peak_bytes_per_second = r.f64();
  if (r.flag()) {
    report::RooflineRecord roofline;
    roofline.matrix_peak_flops = r.f64();
    roofline.memory_bound_flops = r.f64();
    roofline.bound = r.text();
    record.roofline = roofline;
  }
  record.phases.resize(r.u64());
  for (report::PhaseRecord& p : record.phases) p = get_phase(r);
  record.busiest = get_busiest_list(r);
  record.check.checked = r.flag();
  record.check.pass = r.flag();
  record.check.max_error = r.f64();
  record.check.detail = r.text();
  return record;
}

std::string encode_row(const ccl::BenchRow& row) {
  ByteWriter w;
  w.u64(row.bytes);
  w.u64(row.count);
  w.u64(static_cast<std::uint64_t>(row.dtype));
  w.u64(static_cast<std::uint64_t>(row.op));
  w.i64(row.time.ps());
  w.f64(row.algbw_gbps);
  w.f64(row.busbw_gbps);
  w.u64(row.wrong.has_value());
  w.u64(row.wrong.value_or(0));
  return w.take();
}

ccl::BenchRow decode_row(std::string_view bytes) {
  ByteReader r(bytes);
  ccl::BenchRow row;
  row.bytes = r.u64();
  row.count = r.u64();
  row.dtype = static_cast<base::DType>(r.u64());
  row.op = static_cast<base::CombineOp>(r.u64());
  row.time = base::SimTime::from_ps(r.i64());
  row.algbw_gbps = r.f64();
  row.busbw_gbps = r.f64();
  const bool checked = r.flag();
  const std::uint64_t wrong = r.u64();
  if (checked) row.wrong = wrong;
  return row;
}

std::string encode_result(std::string_view result) { return "r" + std::string(result); }

std::string encode_error(const std::exception_ptr& error) {
  ByteWriter w;
  ErrorKind kind = ErrorKind::internal;
  std::string what;
  std::vector<std::string> problems;
  try {
    std::rethrow_exception(error);
  } catch (const base::InputSizeLimitError& e) {
    kind = ErrorKind::input_size;
    problems = e.problems();
  } catch (const base::ConfigError& e) {
    kind = ErrorKind::config;
    problems = e.problems();
  } catch (const base::HostMemoryLimitError& e) {
    kind = ErrorKind::host_memory;
    what = e.what();
  } catch (const base::Error& e) {
    kind = ErrorKind::error;
    what = e.what();
  } catch (const std::bad_alloc&) {
    kind = ErrorKind::bad_alloc;
  } catch (const std::exception& e) {
    what = e.what();
  }
  w.u64(static_cast<std::uint64_t>(kind));
  w.text(what);
  w.u64(problems.size());
  for (const std::string& p : problems) w.text(p);
  return "e" + w.take();
}

std::string_view result_or_throw(std::string_view outcome) {
  if (outcome.empty()) throw base::InternalError("an empty MPI point outcome");
  if (outcome.front() == 'r') return outcome.substr(1);
  ByteReader r(outcome.substr(1));
  const auto kind = static_cast<ErrorKind>(r.u64());
  const std::string what = r.text();
  std::vector<std::string> problems(r.u64());
  for (std::string& p : problems) p = r.text();
  throw_error(kind, what, std::move(problems));
}

std::string encode_points(const std::vector<std::size_t>& points,
                          const std::vector<std::string>& outcomes) {
  ByteWriter w;
  for (std::size_t k = 0; k < points.size(); ++k) {
    w.u64(points[k]);
    w.text(outcomes[k]);
  }
  return w.take();
}

void decode_points(std::string_view message, std::vector<std::string>& by_point) {
  ByteReader r(message);
  while (!r.done()) {
    const std::uint64_t point = r.u64();
    if (point >= by_point.size())
      throw base::InternalError("a gathered MPI message names no point of this run");
    by_point[point] = r.text();
  }
}

}  // namespace kernbench::apps
