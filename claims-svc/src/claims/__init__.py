"""claims-svc: claims on private-life accident contracts (PA, AS, LA, CL rules)."""
