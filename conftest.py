"""The harness's pytest plugin comes with the installed package (its `pytest11` entry point)."""
