"""HTTP entrypoints: the API models (``schema_*``), their mapping to the domain
(``mapping``) and one router per capability (``api_*``)."""
