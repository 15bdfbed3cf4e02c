"""Writing a checked file into the database, entry by entry (in the caller's transaction)."""
