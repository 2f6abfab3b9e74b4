"""The record of help given: what happened after a posting, the hours ledger, thanks, proofs.

Above messaging and matching in the layer order (it reads postings and conversations), below the
Kommune's admin areas (its overview reads the figures).
"""
