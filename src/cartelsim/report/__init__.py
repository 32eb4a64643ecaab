"""Charts and the self-contained HTML report of a comparison."""
