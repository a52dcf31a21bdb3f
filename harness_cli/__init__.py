"""The command line on top of the harness and the patterns' stacks: `demo` and `serve`."""
