"""`python -m harness`: the command line (demo, serve), which lives in the `harness_cli` package on top of
both the harness and the pattern stacks; it is launched by name so that this library imports neither."""

import runpy

runpy.run_module("harness_cli", run_name="__main__", alter_sys=True)
