"""Use cases: declare, documents, staff decisions; they depend on ports only."""
