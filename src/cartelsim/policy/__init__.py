"""Policy: levers, their schedules and costs, and the library of named strategies."""
