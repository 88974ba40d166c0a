"""My LM's member portal: a backend-for-frontend (issue 20 item 2)."""
