#include "kernbench/rt/session.h"

#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/rt/demo_kernels.h"
#include "kernbench/sim/process.h"

namespace kernbench::rt {
namespace {

using base::DType;
using testing::Machine;

TEST(Session, EachRankProcessHasItsOwnCurrentDevice) {
  Machine m;
  register_demo_kernels(m.runtime.kernels());
  std::vector<std::vector<std::int32_t>> results(2);
  for (int rank = 0; rank < 2; ++rank) {
    m.engine.spawn(fmt::format("rank {}", rank), [&, rank](sim::Process& p) {
      Session& s = m.runtime.session(p);
      EXPECT_EQ(s.current_device(), Device::all());
      s.set_device(rank);
      p.wait(base::SimTime::from_ps(1));  // the other rank sets its device meanwhile
      EXPECT_EQ(s.current_device(), Device::sip(rank));
      const Tensor t = s.empty({16}, DType::i32, {{}, LevelPlacement::rows(), {}});
      EXPECT_EQ(t.shards()[0].pe.sip, rank);
      s.launch("fill_index", Grid{2}, t);
      results[static_cast<std::size_t>(rank)] = t.to_host().values<std::int32_t>();
    });
  }
  m.engine.run();
  for (const auto& r : results) {
    ASSERT_EQ(r.size(), 16u);
    for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(r[i], static_cast<std::int32_t>(i));
  }
  EXPECT_EQ(m.runtime.host().current_device(), Device::all());
  EXPECT_EQ(m.runtime.live_tensors(), 0u);
  EXPECT_EQ(testing::mapping_count(m.system), 0u);
}

TEST(Session, TheSameProcessGetsTheSameSession) {
  Machine m;
  m.engine.spawn("rank", [&](sim::Process& p) {
    m.runtime.session(p).set_device_index(1);
    EXPECT_EQ(m.runtime.session(p).current_device(), Device::sip(1));
    EXPECT_EQ(m.runtime.session(p).process(), &p);
  });
  m.engine.run();
  EXPECT_EQ(m.runtime.host().process(), nullptr);
}

TEST(Session, AOneSipRuntimeStartsOnItsSip) {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology(testing::small_machine()));
  Runtime rt(system, Device::sip(1));
  const Tensor t = rt.host().zeros({4});
  EXPECT_EQ(t.shards()[0].pe, (topo::PeCoord{1, 0, 0}));
}

TEST(SessionErrors, DevicesOutsideTheRuntimeOrMachine) {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology(testing::small_machine()));
  Runtime rt(system, Device::sip(1));
  try {
    rt.host().set_device(0);
    FAIL() << "no NotFoundError";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()), "set_device(sip 0): this runtime targets sip 1 only");
  }
  try {
    rt.host().set_device(Device::sip(2));
    FAIL() << "no NotFoundError";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()), "device sip 2: the machine has 2 SIP(s), sip 0..1");
  }
  EXPECT_THROW(Runtime(system, Device::sip(5)), base::NotFoundError);
  EXPECT_EQ(rt.host().current_device(), Device::sip(1));  // unchanged
}

TEST(Session, ACubeOrPeDeviceHoldsItsNewTensors) {
  Machine m;
  Session& s = m.runtime.host();
  s.set_device(Device::cube({1, 1}));
  EXPECT_EQ(s.empty({8}).shards()[0].pe, (topo::PeCoord{1, 1, 0}));
  const Tensor split = s.empty({8}, DType::f32, {{}, {}, LevelPlacement::rows()});
  ASSERT_EQ(split.shards().size(), 4u);
  for (const Shard& shard : split.shards())
    EXPECT_EQ(shard.pe.cube_coord(), (topo::CubeCoord{1, 1}));
  s.set_device(Device::pe({0, 1, 2}));
  EXPECT_EQ(s.zeros({8}).shards()[0].pe, (topo::PeCoord{0, 1, 2}));
  EXPECT_EQ(s.zeros({8}, DType::f32, Placement::at({0, 1, 2})).shards()[0].pe,
            (topo::PeCoord{0, 1, 2}));
}

TEST(Session, NumberedDevicesAreWhatSetDeviceIndexSelects) {
  Machine m;
  Session& s = m.runtime.host();
  s.number_devices({Device::pe({1, 0, 3}), Device::cube({0, 1})});
  s.set_device(1);
  EXPECT_EQ(s.current_device(), Device::cube({0, 1}));
  s.set_device_index(0);
  EXPECT_EQ(s.current_device(), Device::pe({1, 0, 3}));
  try {
    s.set_device(2);
    FAIL() << "no NotFoundError";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()),
              "set_device(2): devices are numbered by rank, 0..1 (set_device(i) is rank i's "
              "device)");
  }
  s.number_devices({});
  s.set_device(1);
  EXPECT_EQ(s.current_device(), Device::sip(1));
}

TEST(SessionErrors, CubesAndPesOutsideTheRuntimeOrMachine) {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology(testing::small_machine()));
  Runtime rt(system, Device::cube({1, 0}));
  EXPECT_EQ(rt.host().zeros({4}).shards()[0].pe, (topo::PeCoord{1, 0, 0}));
  rt.host().set_device(Device::pe({1, 0, 3}));
  const auto fails = [&](Device d, const std::string& message) {
    try {
      rt.host().set_device(d);
      ADD_FAILURE() << "no NotFoundError for " << message;
    } catch (const base::NotFoundError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  fails(Device::sip(1), "set_device(sip 1): this runtime targets (sip 1, cube 0) only");
  fails(Device::pe({1, 1, 0}),
        "set_device((sip 1, cube 1, pe 0)): this runtime targets (sip 1, cube 0) only");
  fails(Device::cube({0, 2}), "device (sip 0, cube 2): a SIP has 2 cube(s), cube 0..1");
  fails(Device::pe({1, 0, 4}), "device (sip 1, cube 0, pe 4): a cube has 4 PE(s), pe 0..3");
  EXPECT_EQ(rt.host().current_device(), Device::pe({1, 0, 3}));  // unchanged
}

}  // namespace
}  // namespace kernbench::rt
