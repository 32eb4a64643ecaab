"""Reference models from the literature, reimplemented to check cartelsim against."""
