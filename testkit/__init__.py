"""Test support shared by the integration and e2e suites: the local platform, polling,
service processes, Mailpit and Kafka readers, token minting. Never imported by services."""
