"""How long a text may be, wherever one is typed or imported: bounded, so that no text makes a
page, a check or a document slow for everybody. A question in the wizard may state its own."""

# A title or a name: of a draft, a requirement, a template.
TITLE = 300
# A short value: a baseline, a target, a reference number.
SHORT = 200
# A line of text in the wizard, unless the question says otherwise.
LINE = 1000
# A text of its own: a requirement, its motive and verification, a need, a longer answer.
TEXT = 4000
