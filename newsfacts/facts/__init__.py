"""Facts read from each article: entity mentions resolved to canonical ids, direct quotes with
their speakers, and numeric figures with money converted to US dollars.
"""
