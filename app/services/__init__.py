"""Use cases: one function per user intention, each taking a unit of work and committing it itself."""
