"""A bench in the previous tool's style: tensors placed over the machine, a kernel launched by
name, then a distributed all_reduce over ranks that each pick their device. Run as a test; prints
"python bench script: OK" when every check holds.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/bench_script.py
"""
import numpy as np

import kernbench as kb
import kernbench.distributed as dist

machine = kb.Machine()  # or kb.Machine("configs/ahbm_small.yaml", set={...})
rt = machine.runtime

# Host part: a [1024, 64] tensor split by rows over the SIP's cubes, filled by a kernel.
placement = kb.Placement(sip="replicate", cube="rows", pe="replicate")
x = rt.zeros((1024, 64), kb.f32, placement=placement, name="x")
ones = rt.from_numpy(np.ones((1024, 64), np.float32), placement=placement, name="ones")
out = rt.empty((1024, 64), kb.f32, placement=placement, name="out")
rt.launch("fill_index", 4, x)
rt.launch("vector_add", 4, x, ones, out)
assert np.array_equal(out.numpy(), np.arange(1024 * 64, dtype=np.float32).reshape(1024, 64) + 1)
print(rt.phase_summary())


# Distributed part: 8 ranks on the PEs of cube 0, each all-reducing its own data.
def rank_main(ctx):
    kb.ahbm.set_device(ctx.rank)  # torch.ahbm.set_device(rank) in the previous tool
    dist.init_process_group()
    data = np.full(4096, ctx.rank + 1, np.float32)
    t = ctx.from_numpy(data, name=f"grad{ctx.rank}")
    dist.all_reduce(t)
    total = t.numpy()
    assert (total == sum(range(1, ctx.world_size + 1))).all(), total[:4]
    if ctx.rank == 0:
        print(f"all_reduce over {ctx.world_size} ranks: {total[0]:.0f} on every element")


start = machine.now_ps
dist.run(machine, rank_main, world=8, per="pe")
print(f"simulated time of the all_reduce run: {(machine.now_ps - start) / 1e6:.3f} us")
print("python bench script: OK")
