"""`make bench`: quality against the labeled corpus, speed, and grading overhead."""
