// The host side of the request protocol: checks each request when it is submitted (so a bad one
// changes nothing), then carries it host -> SIP -> cube M_CPU -> PE(s) as a process of its own
// and records its completion. Internal to hw; users go through System.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "kernbench/hw/request.h"
#include "kernbench/sim/event.h"

namespace kernbench::hw {

class System;

class HostInterface {
 public:
  /// Bytes of a command or acknowledgement message on the wire.
  static constexpr base::Bytes kCommandBytes{64};

  explicit HostInterface(System& system);
  HostInterface(const HostInterface&) = delete;
  HostInterface& operator=(const HostInterface&) = delete;
  ~HostInterface();

  RequestHandle submit(Request request);
  const Completion& wait(RequestHandle handle);
  const Completion& wait(sim::Process& p, RequestHandle handle);
  const Completion& completion(RequestHandle handle) const;
  std::vector<std::byte> take_read_data(RequestHandle handle);

 private:
  struct InFlight;

  InFlight& find(RequestHandle handle) const;
  void check(const Request& request) const;
  void run(sim::Process& p, InFlight& f);
  void deliver_to_cube(sim::Process& p, InFlight& f, topo::CubeCoord cube);
  void run_on_pe(sim::Process& p, InFlight& f, Pe& pe);
  void command_to_m_cpu(sim::Process& p, topo::CubeCoord cube);
  void acknowledge(sim::Process& p, topo::CubeCoord cube);
  void write_memory(sim::Process& p, const MemoryWrite& w);
  void read_memory(sim::Process& p, InFlight& f, const MemoryRead& r);

  System& system_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::unique_ptr<InFlight>> requests_;
};

}  // namespace kernbench::hw
