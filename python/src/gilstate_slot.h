// CPython's per-OS-thread "GILState" slot: the thread state PyGILState_Ensure and
// PyGILState_Check take as this OS thread's. A switcher that runs several thread states on one OS
// thread must keep it naming the current one, or C code taking the GIL from inside (a ctypes
// callback, a debug pybind11's PyGILState_Check) restores another thread state and waits forever
// for the GIL its own thread holds.
#pragma once

#include <Python.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The slot's key where the interpreter leaves it to a switcher (CPython 3.9 to 3.11: it names the
/// first thread state made on the OS thread), or NULL where the interpreter points it at each
/// thread state as it becomes current (3.12 on), which a switcher must then leave alone.
Py_tss_t* kernbench_gilstate_slot(void);

#ifdef __cplusplus
}
#endif
