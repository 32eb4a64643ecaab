"""The world cartelsim simulates: bundled data and its loaders."""
