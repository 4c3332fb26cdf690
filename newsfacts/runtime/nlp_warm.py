"""Loads the trained English pipeline on import.

The process pool's fork server imports this module before it forks any worker, so each
worker starts with the model already in memory (shared pages of one copy) instead of every
worker loading its own on its first quote.
"""

from newsfacts.runtime.nlp import english

english()
