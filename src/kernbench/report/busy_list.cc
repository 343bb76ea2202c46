#include "kernbench/report/busy_list.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include <sys/mman.h>

namespace kernbench::report {
namespace {

// A block is one huge page where the kernel gives them on request: a long run writes tens of
// megabytes of sealed batches, and a fault per 4 KiB page cost more than the writes.
constexpr std::size_t kArenaBlock = std::size_t{2} << 20;
constexpr std::size_t kMaxVarint = 10;  // bytes of a 64-bit value
// In a batch, after its first interval: the interval has the gap and length of the one before (a
// channel serving equal chunks at a steady pace). Never a gap's first byte there: intervals are
// disjoint and do not touch, so every gap after the first is at least 1 ps.
constexpr std::uint8_t kRepeat = 0;

std::uint8_t* put_varint(std::uint8_t* out, std::uint64_t v) {
  while (v >= 0x80) {
    *out++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<std::uint8_t>(v);
  return out;
}

std::uint64_t get_varint(const std::uint8_t*& in) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const std::uint8_t byte = *in++;
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return v;
  }
}

// Merges `add`, which starts before the last interval of the sorted, disjoint, non-touching
// `list`, into it.
void merge_into(std::vector<Interval>& list, Interval add) {
  // First interval that ends at or after add.start, first that starts after add.end.
  const auto first = std::ranges::lower_bound(list, add.start, {}, &Interval::end);
  const auto last = std::ranges::upper_bound(list, add.end, {}, &Interval::start);
  if (first == last) {
    list.insert(first, add);
    return;
  }
  const Interval merged{std::min(add.start, first->start), std::max(add.end, (last - 1)->end)};
  const auto at = list.erase(first, last);
  list.insert(at, merged);
}

}  // namespace

std::uint8_t* ByteArena::allocate(std::size_t n) {
  if (n > left_) {
    const std::size_t size = (n + kArenaBlock - 1) / kArenaBlock * kArenaBlock;
    auto* block = static_cast<std::uint8_t*>(std::aligned_alloc(kArenaBlock, size));
    if (block == nullptr) throw std::bad_alloc();
    blocks_.emplace_back(block);
#ifdef MADV_HUGEPAGE
    madvise(block, size, MADV_HUGEPAGE);  // advice only: without huge pages it works the same
#endif
    next_ = block;
    left_ = size;
  }
  std::uint8_t* out = next_;
  next_ += n;
  left_ -= n;
  return out;
}

void ByteArena::FreeBlock::operator()(std::uint8_t* block) const { std::free(block); }

void ByteArena::give_back(std::size_t n) {
  next_ -= n;
  left_ += n;
}

template <typename Fn>
void BusyList::decode(const Batch& b, Fn&& fn) {
  const std::uint8_t* in = b.bytes;
  std::int64_t end = b.first_start.ps();
  std::uint64_t gap = 0, length = 0;
  for (std::uint32_t i = 0; i < b.count; ++i) {
    if (i == 0 || *in != kRepeat) {
      gap = get_varint(in);
      length = get_varint(in);
    } else {
      ++in;
    }
    const std::int64_t start = end + static_cast<std::int64_t>(gap);
    end = start + static_cast<std::int64_t>(length);
    fn(Interval{base::SimTime::from_ps(start), base::SimTime::from_ps(end)});
  }
}

// The oldest kBatch intervals of the tail become a batch (the newest kBatch stay plain for spans
// that come a little out of order), written straight into the arena.
void BusyList::seal(ByteArena& arena) {
  std::uint8_t* const bytes = arena.allocate(kBatch * 2 * kMaxVarint);
  std::uint8_t* out = bytes;
  Batch b{tail_.front().start, tail_[kBatch - 1].end, base::SimTime::zero(), bytes, 0, kBatch};
  base::SimTime end = b.first_start;
  std::uint64_t last_gap = 0, last_length = 0;
  for (std::size_t i = 0; i < kBatch; ++i) {
    const Interval& iv = tail_[i];
    const auto gap = static_cast<std::uint64_t>((iv.start - end).ps());
    const auto length = static_cast<std::uint64_t>((iv.end - iv.start).ps());
    if (i > 0 && gap == last_gap && length == last_length) {
      *out++ = kRepeat;
    } else {
      out = put_varint(out, gap);
      out = put_varint(out, length);
      last_gap = gap;
      last_length = length;
    }
    b.busy += iv.end - iv.start;
    end = iv.end;
  }
  b.size = static_cast<std::uint32_t>(out - bytes);
  arena.give_back(kBatch * 2 * kMaxVarint - b.size);
  batches_.push_back(b);
  tail_.erase(tail_.begin(), tail_.begin() + kBatch);
}

// A span starting before the newest interval (or the first span): merged where it belongs.
void BusyList::add_before(Interval span, ByteArena& arena) {
  if (empty()) {
    last_ = span;
    return;
  }
  tail_.push_back(last_);
  if (batches_.empty() || span.start > batches_.back().last_end) {
    merge_into(tail_, span);
  } else {
    // It reaches the sealed batches: open them from the first it may touch and seal again.
    const auto from = std::ranges::lower_bound(batches_, span.start, {}, &Batch::last_end);
    std::vector<Interval> plain;
    for (auto it = from; it != batches_.end(); ++it)
      decode(*it, [&plain](Interval iv) { plain.push_back(iv); });
    plain.insert(plain.end(), tail_.begin(), tail_.end());
    merge_into(plain, span);
    batches_.erase(from, batches_.end());
    tail_ = std::move(plain);
    while (tail_.size() >= 2 * kBatch) seal(arena);
  }
  last_ = tail_.back();
  tail_.pop_back();
}

base::SimTime BusyList::busy_time(base::SimTime from, base::SimTime to) const {
  base::SimTime busy;
  if (to <= from || empty()) return busy;
  const auto clip = [&](Interval iv) {
    if (iv.end > from && iv.start < to) busy += std::min(iv.end, to) - std::max(iv.start, from);
  };
  // Batches wholly inside the window count by their sums; the one or two it cuts, by interval.
  for (auto it = std::ranges::upper_bound(batches_, from, {}, &Batch::last_end);
       it != batches_.end() && it->first_start < to; ++it) {
    if (it->first_start >= from && it->last_end <= to)
      busy += it->busy;
    else
      decode(*it, clip);
  }
  for (const Interval& iv : tail_) clip(iv);
  clip(last_);
  return busy;
}

std::vector<Interval> BusyList::intervals() const {
  std::vector<Interval> out;
  if (empty()) return out;
  out.reserve(batches_.size() * kBatch + tail_.size() + 1);
  for (const Batch& b : batches_) decode(b, [&out](Interval iv) { out.push_back(iv); });
  out.insert(out.end(), tail_.begin(), tail_.end());
  out.push_back(last_);
  return out;
}

}  // namespace kernbench::report
