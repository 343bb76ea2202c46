#include "kernbench/rt/tensor.h"

#include <exception>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/rt/runtime.h"

namespace kernbench::rt {

Tensor::Tensor(Session& session, std::uint64_t id, std::string name)
    : session_(&session), id_(id), name_(std::move(name)) {
  session.runtime().handles_.insert(this);
}

Tensor::Tensor(Tensor&& other) noexcept
    : session_(other.session_), id_(other.id_), name_(other.name_) {
  if (session_ != nullptr) {
    auto& handles = session_->runtime().handles_;
    handles.erase(&other);
    handles.insert(this);
  }
  other.session_ = nullptr;
}

Tensor& Tensor::operator=(Tensor&& other) noexcept {
  if (this == &other) return *this;
  release(std::uncaught_exceptions() == 0);
  session_ = other.session_;
  id_ = other.id_;
  name_ = other.name_;
  if (session_ != nullptr) {
    auto& handles = session_->runtime().handles_;
    handles.erase(&other);
    handles.insert(this);
  }
  other.session_ = nullptr;
  return *this;
}

Tensor::~Tensor() { release(std::uncaught_exceptions() == 0); }

base::Bytes Tensor::size_bytes() const {
  const TensorStorage& s = storage();
  return base::Bytes(static_cast<std::uint64_t>(rt::numel(s.shape)) * base::size_bytes(s.dtype));
}

void Tensor::copy_(const HostTensor& host) { session().write(*this, host); }

HostTensor Tensor::to_host() const { return session().read(*this); }

void Tensor::free() {
  storage();  // AddressError if already freed
  Runtime& rt = session_->runtime();
  TensorStorage& s = rt.storage(id_, name_);
  std::vector<hw::RequestHandle> unmaps;
  for (const PartMapping& m : s.mappings)
    unmaps.push_back(session_->submit(
        hw::MmuUnmap{m.targets, s.part_va(m.part), s.part_sizes[static_cast<std::size_t>(m.part)]},
        "unmap", name_));
  session_->wait_requests(unmaps);
  free_storage(rt.system(), rt.virtual_space(), s);
  rt.forget(id_);
  rt.handles_.erase(this);
  session_ = nullptr;
}

// The destructor's path: through the machine when it can wait, else (unwinding, or a wait that
// fails) at once, so a handle never leaks memory nor throws from a destructor.
void Tensor::release(bool timed) noexcept {
  if (session_ == nullptr) return;
  Runtime& rt = session_->runtime();
  if (timed) {
    try {
      free();
      return;
    } catch (...) {  // NOLINT(bugprone-empty-catch): fall through to the immediate path
    }
  }
  if (session_ == nullptr) return;
  try {
    const TensorStorage& s = rt.storage(id_, name_);
    unmap_now(rt.system(), s);
    free_storage(rt.system(), rt.virtual_space(), s);
  } catch (...) {  // NOLINT(bugprone-empty-catch): nothing more can be done from a destructor
  }
  rt.forget(id_);
  rt.handles_.erase(this);
  session_ = nullptr;
}

bool Tensor::valid() const {
  return session_ != nullptr && session_->runtime().tensors_.contains(id_);
}

Session& Tensor::session() const {
  if (session_ == nullptr)
    throw base::AddressError(
        fmt::format("tensor '{}' was freed (or moved from); it can no longer be used", name_));
  return *session_;
}

const TensorStorage& Tensor::storage() const { return session().runtime().storage(id_, name_); }

}  // namespace kernbench::rt
