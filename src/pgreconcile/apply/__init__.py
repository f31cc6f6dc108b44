"""Apply: carry out a Plan on the live database — advisory lock, staleness check against the
plan's fingerprints, timeouts, one transaction for the transactional steps, progress,
interrupts, and verification by planning again.

May import: ``plan``, ``catalog``, ``model``, ``quoting``, ``errors``. Never ``declare``,
``emit`` or ``cli``; it runs only statements the Plan holds.
"""
