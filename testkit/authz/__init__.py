"""The authorization matrix (issue 15 item 8): every route of every service × the
principals of AC-1..AC-6 and LF-2, with the expected status of each pair."""
