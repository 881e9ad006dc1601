"""The stop words of story matching: words that say nothing of which event an article reports."""

from typing import Final

_TEXT = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say told tell according new one two three first
    last year years day days week weeks month months time times people percent mr mrs ms dr like get got
    make made many much may might must still even well back way since around across among another every
    per via yet however already later including include includes included whether monday tuesday
    wednesday thursday friday saturday sunday today yesterday tomorrow
"""
STOPWORDS: Final = frozenset(_TEXT.split())
#: Ordinal words in order, "first" (1) to "twentieth" (20): hashtags read one alone as the name it
#: opens ("the Fifth"), evidence one before a stage or a round as a figure ("the fourth stage").
ORDINAL_WORDS: Final = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
)
