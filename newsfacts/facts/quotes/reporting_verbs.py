"""The verbs that report speech ("said", "told", "according to").

Every step of reading quotes keys on them: joining a quotation split around its attribution,
finding who the verb's subject or object is, and telling a quoted fragment woven into the
writer's sentence from quoted speech; one list keeps those steps in agreement.
"""

from __future__ import annotations

import re

_VERBS = re.compile(
    r"(?<![\w-])(?:said|says|say|told|tells|added|adds|adding|saying|stated|states|warned|"
    r"warns|warning|insisted|insists|insisting|argued|argues|arguing|noted|notes|noting|"
    r"explained|explains|declared|declares|announced|announces|claimed|claims|claiming|"
    r"stressed|stresses|stressing|described|describes|describing|wrote|writes|tweeted|posted|"
    r"asked|asks|replied|replies|responded|snapped|snapping|urged|urges|urging|called for|"
    r"calls for|calling for|quoted|acknowledged|acknowledging|admitted|admits|conceded|"
    r"predicted|vowed|vows|pledged|promised|suggested|suggests|continued|concluded|recalled|"
    r"complained|accused|demanded|cautioned|emphasi[sz]ed|emphasi[sz]ing|underlined|"
    r"reiterated|reiterating|confirmed|denied|threatened|lamented|quipped|joked|remarked|"
    r"commented|observed|countered|retorted|shouted|exclaimed|whispers|whispered|recalls|"
    r"remembers|remembered|pointed out|points out|ruled|[Aa]ccording to|testified|testifies|"
    r"mused|muses|wondered|recounted|recounts|elaborated|assured|boasted|answered|answers|"
    r"maintained|maintains|contended|alleged|clarified|texted|emailed|reflected|laughed|"
    r"sighed|concludes|explained|mentioned|mentions|acknowledges|admitted|reiterates|"
    r"continues|warns|stresses|replies|responds|confirms|denies|laughs|quips|jokes|remarks|"
    r"comments|observes|counters|recounts|predicts|cautions|complains|demands|written|"
    r"(?:(?<=statement )|(?<=letter )|(?<=post )|(?<=note )|(?<=message )|(?<=tweet )|"
    r"(?<=sign )|(?<=caption )|(?<=notice )|(?<=release ))(?:read|reads))(?![\w-])"
)
