#include "kernbench/hw/transfer_model.h"

#include <algorithm>
#include <limits>

namespace kernbench::hw {

RouteRates route_rates(const Route& route, Bytes size, Bytes chunk, int chunks_in_flight) {
  RouteRates r{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  SimTime trip;
  for (std::size_t i = 0; i < route.stages.size(); ++i) {
    Channel* c = route.stages[i];
    const SimTime service = c->service_time(chunk);
    trip += c->latency() + service;
    r.route = std::min(r.route, stage_bandwidth(route, i));
    if (i + 1 < route.stages.size()) r.route = std::min(r.route, buffer_rate(*c, chunk));
  }
  const double window = static_cast<double>(chunk.count()) * chunks_in_flight;
  if (static_cast<double>(size.count()) > window)
    r.window = window / static_cast<double>(trip.ps());
  return r;
}

double stage_bandwidth(const Route& route, std::size_t i) {
  const Channel* c = route.stages[i];
  return static_cast<double>(c->bandwidth().bytes_per_second()) * 1e-12 /
         static_cast<double>(std::count(route.stages.begin(), route.stages.end(), c));
}

double buffer_rate(Channel& channel, Bytes chunk) {
  return static_cast<double>(channel.buffer().count()) /
         static_cast<double>((channel.service_time(chunk) + channel.latency() * 2).ps());
}

std::uint32_t route_bottleneck(const Route& route) {
  std::uint32_t bottleneck = 0;
  double slowest = 0;
  for (std::uint32_t i = 0; i < route.stages.size(); ++i) {
    const Channel* c = route.stages[i];
    const double pace =
        static_cast<double>(std::count(route.stages.begin(), route.stages.end(), c)) /
        static_cast<double>(c->bandwidth().bytes_per_second());
    if (pace > slowest) {
      slowest = pace;
      bottleneck = i;
    }
  }
  return bottleneck;
}

SimTime time_to_reach(const Route& route, std::uint32_t stage, Bytes fill) {
  SimTime t;
  for (std::uint32_t i = 0; i < stage; ++i)
    t += route.stages[i]->latency() + route.stages[i]->service_time(fill);
  return t;
}

}  // namespace kernbench::hw
