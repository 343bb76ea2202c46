"""kernbench.distributed: a bench's ranks as simulated processes, torch.distributed-style.

    import kernbench as kb
    import kernbench.distributed as dist

    def bench(ctx):
        ctx.set_device(ctx.rank)                  # the rank's own device (already current)
        dist.init_process_group()                 # or ctx.init_process_group("ring_tcm_8")
        x = ctx.from_numpy(np.full(1024, ctx.rank, np.float32))
        dist.all_reduce(x)                        # or ctx.all_reduce(x, op="sum")
        assert x.numpy()[0] == sum(range(ctx.world_size))

    dist.run(kb.Machine(), bench, world=8, per="pe")

Each rank's function runs on an OS thread of its own while its simulated process waits, so it
blocks as plain code (docs/python.md, "Distributed"). Tensors a rank makes are freed when its
function returns.
"""

import threading

from kernbench import _kernbench

RankContext_ = _kernbench.RankContext
ProcessGroup = _kernbench.ProcessGroup

_current = threading.local()


class ReduceOp:
    """The reductions by name (the ops also take the strings)."""
    SUM = "sum"
    PRODUCT = PROD = "prod"
    MAX = "max"
    MIN = "min"
    AVG = "avg"


class RankContext:
    """What a rank's function receives: its rank, world size, PE and device, its runtime (every
    method of kernbench.Runtime is here too: ctx.zeros, ctx.from_numpy, ctx.launch, ...), process
    groups and the collectives on its world group."""

    def __init__(self, handle):
        self._handle = handle
        self.runtime = handle.runtime

    def __getattr__(self, name):
        try:
            return getattr(self._handle, name)
        except AttributeError:
            return getattr(self.runtime, name)

    def __repr__(self):
        return f"<kernbench.distributed.RankContext rank {self.rank} of {self.world_size}>"


def run(machine, fn, world=None, per="sip", pes=None, timing_only=False):
    """Runs fn(ctx) once per rank on `machine` and returns when every rank has finished.

    Ranks go one per SIP (per="sip", the default), cube ("cube") or PE ("pe") of the machine's
    device, or on the PEs listed in `pes` ([(sip, cube, pe), ...]); `world` takes the first
    `world` of them (default: all). An exception in a rank ends the run with kernbench.ProcessError
    naming the rank; ranks that never meet with kernbench.DeadlockError. Either takes the machine
    down (its ranks were left blocked)."""

    def rank_body(handle):
        ctx = RankContext(handle)
        _current.ctx = ctx
        try:
            fn(ctx)
        finally:
            _current.ctx = None

    _kernbench.run_ranks(machine, rank_body, world=world, per=per,
                         pes=None if pes is None else [tuple(p) for p in pes],
                         timing_only=timing_only)


def current():
    """The calling rank's context (kernbench.Error outside a rank function)."""
    ctx = getattr(_current, "ctx", None)
    if ctx is None:
        _kernbench._raise("Error", "not inside a rank function of kernbench.distributed.run")
    return ctx


def _on(group):
    return current() if group is None else group


def get_rank():
    return current().rank


def get_world_size():
    return current().world_size


def is_initialized():
    """True inside a rank whose init_process_group (ctx's or this module's) has returned."""
    ctx = getattr(_current, "ctx", None)
    return ctx is not None and ctx.is_initialized()


_IGNORED_INIT_KEYS = ("backend", "init_method", "timeout")


def init_process_group(entry="", **torch_keys):
    """Joins the group of every rank; `entry` names the ccl.yaml entry (default ring_default_ws).
    torch's backend=, init_method= and timeout= are accepted and ignored; any other keyword
    (world_size=, rank=, ...: the run sets those) is a kernbench.ConfigError naming it."""
    unknown = sorted(k for k in torch_keys if k not in _IGNORED_INIT_KEYS)
    if unknown:
        _kernbench._raise("ConfigError", "init_process_group: keyword {} not accepted (ranks and "
                          "world size come from kernbench.distributed.run); accepted and ignored: "
                          "{}".format(", ".join(k + "=" for k in unknown),
                                      ", ".join(k + "=" for k in _IGNORED_INIT_KEYS)))
    return current().init_process_group(entry)


def new_group(ranks, entry=""):
    return current().new_group(list(ranks), entry)


def all_reduce(tensor, op="sum", group=None):
    _on(group).all_reduce(tensor, op)


def reduce_scatter(tensor, op="sum", group=None):
    _on(group).reduce_scatter(tensor, op)


def all_gather(tensor, group=None):
    _on(group).all_gather(tensor)


def broadcast(tensor, src, group=None):
    _on(group).broadcast(tensor, src)


def reduce(tensor, dst, op="sum", group=None):
    _on(group).reduce(tensor, dst, op)


def all_to_all(output, input, group=None):
    _on(group).all_to_all(output, input)


def barrier(group=None):
    _on(group).barrier()


def set_device(index):
    """torch.ahbm.set_device: makes device `index` (rank index's device) current."""
    current().set_device(index)


def set_device_index(index):
    """torch.accelerator.set_device_index: the same."""
    current().set_device_index(index)
