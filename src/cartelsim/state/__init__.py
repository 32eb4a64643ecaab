"""Dynamic state as struct-of-arrays tables."""
