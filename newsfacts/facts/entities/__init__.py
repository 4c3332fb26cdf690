"""Find people, organisations and places in article text and pin each to a stable entity id.

Known entities come from a small hand-kept reference table (``seeds/reference/entities.csv``)
so that every spelling an outlet uses ("Zelensky", "Zelenskiy", "Mr Zelenskyy") lands on one
id: that is what lets analysts count and join across outlets. People the table does not know
still get an id, a provisional ``nf:person:<slug>`` built from their normalised name, when the
text itself marks them as people (a title word before the name, a speech verb or a role
appositive next to it, a surname later used alone), so a new spokesman is counted rather than
lost; ``resolved`` tells the two kinds apart. Those cues are English ones and are only used
where an article is English (or of unknown language).

Aliases match case-sensitively (a row lists every casing it wants, plus an automatic
capitalised first letter for sentence starts): that is what keeps the pronoun "us" apart
from the country "US". All aliases go into one trie-shaped regex built once per index, so an
article costs one scan whatever the size of the reference.
"""
