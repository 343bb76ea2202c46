// Where CPython 3.9 to 3.11 keep the GILState slot's key: in the runtime's state, which only the
// interpreter's internal headers describe (in C, not C++: they use C11 atomics). Building against
// them is accepted practice for code that switches thread states (greenlet does), and the only
// way to the key, which no public function sets. From 3.12 the interpreter binds the slot to each
// thread state as it becomes current, and no internal header is needed.
#include <patchlevel.h>  // PY_VERSION_HEX alone, before Python.h

#if PY_VERSION_HEX < 0x03090000
#error "gilstate_slot.c: where CPython before 3.9 keeps its GILState key is not known here"
#elif PY_VERSION_HEX < 0x030C0000
// Before Python.h, so its public headers agree with the internal one.
#define Py_BUILD_CORE 1
#include <Python.h>
#include <internal/pycore_runtime.h>
#endif

#include "gilstate_slot.h"

Py_tss_t* kernbench_gilstate_slot(void) {
#if PY_VERSION_HEX < 0x030C0000
  return &_PyRuntime.gilstate.autoTSSkey;
#else
  return NULL;
#endif
}
