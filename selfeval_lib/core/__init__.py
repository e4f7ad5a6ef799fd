"""The pure core: input models, rule sets, quantities, fund metrics, scoring, findings, checks and
``evaluate``.

Models and rule sets in, values out: no module here opens a file, reads the clock, prints or
imports anything heavier than pydantic. May import only ``errors`` (and itself).
"""
