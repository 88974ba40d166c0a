"""Adapters: claims' Mongo store, evidence files, policy-svc over HTTP."""
