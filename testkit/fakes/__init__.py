"""In-memory fakes of the project's own ports, one per port, for unit tests of use cases
(issue 17 item 6): ``shared`` for ``mylm_shared``'s ports, one module per service, and
``mongo`` for the few PyMongo calls the read caches make. Tests import them from here;
no service keeps its own copy."""
