"""kernbench.distributed: ranks of a bench as simulated processes (not yet available)."""
