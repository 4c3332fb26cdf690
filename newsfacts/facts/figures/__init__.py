"""Numeric figures stated in an article: money, casualties, counts, distances, durations, shares.

Precision over recall: a number becomes a figure only when its context says what it
measures (a currency, a unit, a casualty verb, a counted noun). Bare numbers, years, dates,
times, ordinals and reference numbers ("Article 5") are skipped, because a wrong figure in
an analyst's sum is worse than a missing one.
"""
