"""Shared fixtures: a default machine and its runtime, and the source tree's location."""
import os
import pathlib

import pytest

import kernbench as kb

SOURCE_DIR = pathlib.Path(os.environ.get("KERNBENCH_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture
def machine():
    return kb.Machine()


@pytest.fixture
def rt(machine):
    return machine.runtime


# A level split over every cube of the default machine's SIP (16 cubes).
CUBE_ROWS = kb.Placement(cube="rows")
