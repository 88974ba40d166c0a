"""policy-svc: private-life accident contracts (PC-1..PC-12)."""
