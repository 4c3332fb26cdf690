"""Direct quotations in clean article text, and who said them.

Row contract: ``start``/``end`` delimit the quoted words without their quote marks, and
``text`` is always exactly ``article_text[start:end]`` so any row can be highlighted in its
source. A quotation can come in pieces, split around its attribution (“Secondly,” said X,
“financial pain…”) or running over paragraphs (a paragraph left open, the next reopening
with “). Such a quotation is still one row: its span runs from the first piece to the last,
so ``text`` includes what lies between, while ``quote_text`` holds only the spoken words
(pieces joined by a space, or a newline across paragraphs). The comma that punctuates the
attribution (“…,” she said) is not part of ``quote_text``.

``attribution``:
  explicit      the speaker is named in the quote's own sentence ("said Kaja Kallas", "Miller
                added", "the US told"), or an unnamed source is described there ("an anonymous
                White House official": ``speaker_name`` set, ``speaker_entity_id`` null);
  pronoun       "she said", "he added", "the Commission chief stressed": a person in view
                before it (latest sentence first, its subject before people it only
                mentions; gender from the reference or Mr/Ms; a title for "the chief");
                speaker null when nobody fits ("they said", "it said" with no known body);
  continuation  a quote sentence without attribution after a quote in the same or the
                previous paragraph (captions and embedded posts between do not count): same
                speaker, null included; or the person the sentence right before it opens
                with ("Aderholt returned to the issue. “What …?”"), or the speaker introduced
                at the end of the paragraph before ("Jane Roe, a nurse, says …" ⏎ “…”);
  context       no speaker near the quote, in a piece about one person (a profile, an
                interview): the one person the article names (at least twice);
  none          a full sentence of speech nobody could be named for.

Not speech, and so not in the ``quotes`` table (``not_speech`` says why, the build counts
them): titles of works (“The Crown”, a single capitalised word), terms and scare quotes
("so-called “coalition of the willing”"), quoted words or short phrases nobody is said to
speak, quotes inside headline-like lines (they restate the body and would double count), and
runs of three or more unattributed quotes with nothing between (examples of what people
think or type, not anyone's words).

Where the rules find no speaker, the trained model is asked (``speaker_method = "model"``):
the subject of the verb that governs the quote, whom a pronoun with nobody in view stands
for, what body a statement speaks for, whether an unknown name is a person or a body.
"""
