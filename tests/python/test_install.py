"""`cmake --install` puts the package where python3 finds it: install into a temporary prefix
and import it from there in a fresh interpreter."""
import json
import os
import pathlib
import subprocess
import sys

import kernbench as kb

BINARY_DIR = pathlib.Path(os.environ.get("KERNBENCH_BINARY_DIR",
                                         pathlib.Path(kb.__file__).resolve().parents[2]))


def test_install_into_a_prefix_and_import_from_there(tmp_path):
    subprocess.run(["cmake", "--install", str(BINARY_DIR), "--prefix", str(tmp_path),
                    "--component", "python"], check=True, capture_output=True)
    inits = list(tmp_path.glob("lib/python3*/dist-packages/kernbench/__init__.py"))
    assert len(inits) == 1, list(tmp_path.rglob("*"))
    site = inits[0].parent.parent
    assert any(site.glob("kernbench/_kernbench*.so"))
    env = dict(os.environ, PYTHONPATH=str(site))
    script = tmp_path / "use_installed.py"
    script.write_text(
        "import kernbench as kb\n"
        "import kernbench.language as tl\n"
        "@kb.jit\n"
        "def double(x_ptr, BLOCK: tl.constexpr):\n"
        "    offs = tl.arange(0, BLOCK)\n"
        "    tl.store(x_ptr + offs, tl.load(x_ptr + offs) * 2)\n"
        "m = kb.Machine(); x = m.runtime.full((4,), 2.0)\n"
        "double[(1,)](x, BLOCK=4)\n"
        "print(kb.__file__); print(tl.__file__); print(x.numpy().sum())\n")
    out = subprocess.run([sys.executable, str(script)], check=True, capture_output=True,
                         text=True, env=env, cwd=tmp_path).stdout.split()
    assert out[0].startswith(str(site)) and out[1].startswith(str(site))
    assert out[2] == "16.0"


def test_ctest_fails_a_python_test_by_its_exit_code():
    # A PASS_REGULAR_EXPRESSION makes CTest ignore the exit code, so a failing script that prints
    # the expected word would pass.
    shown = subprocess.run(["ctest", "--test-dir", str(BINARY_DIR), "-L", "python",
                            "--show-only=json-v1"], check=True, capture_output=True, text=True)
    tests = json.loads(shown.stdout)["tests"]
    names = {t["name"] for t in tests}
    assert "python.test_install" in names and "example.python.bench_script" in names
    for t in tests:
        props = {p["name"] for p in t.get("properties", [])}
        assert "PASS_REGULAR_EXPRESSION" not in props, t["name"]
