"""Kubernetes delivery (issue 21): the generated Kustomize base and overlays, the checks."""
