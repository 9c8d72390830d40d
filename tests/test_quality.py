"""The requirement checker: what an officer sees when a requirement is unclear or unfair."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.support import Translations

from app import i18n
from app.config import PROJECT_ROOT
from app.data.files import DataFileError
from app.i18n import use_locale
from app.quality import RULES, Finding, check_text, check_turnover, detect_language
from app.quality.findings import solution_area
from app.quality.lexicon import WORDING_DIR, load_wording

SAMPLE = Path(os.environ.get("KRAVLOTSEN_LINT_SAMPLE", "/work/shared/lint/sample.jsonl"))
# The first checker's cases.
CASES = Path(__file__).parent / "quality_cases.jsonl"
# The sets of the generalised rules. The development set is tuned on; it now holds the former
# "fresh" held-out set too, whose false alarms were looked at and fixed. The old held-out set was
# written before the rules were generalised and has been looked at since. The held-out set was
# written and committed before the checker was first run on it (commit "a new held-out set"),
# from the issue's kinds and the library's areas.
DEV = Path(__file__).parent / "quality_dev.jsonl"
OLD_HELD_OUT = Path(__file__).parent / "quality_old_heldout.jsonl"
HELD_OUT = Path(__file__).parent / "quality_heldout.jsonl"
# Two sets written for issue 14 before the checker's code was read. The tuning set is tuned on.
# The fresh set was measured only until its figures were: caught 0.823, right rule 0.773, clean
# flagged 0.065 (compound 9/17, solution 8/17, unmeasurable 9/17). Since then it is a tuning set
# too: its misses were looked at and fixed by general rules (see the commit messages), so its
# figures no longer measure unseen text; a new blind set, kept elsewhere, does that.
TUNING = Path(__file__).parent / "quality_tuning.jsonl"
FRESH = Path(__file__).parent / "quality_fresh.jsonl"
# A second development set, written before the rules were tuned on it, of the weak kinds
# (compound, solution, unmeasurable, lower-case brands) and hard clean sentences, sv and en, in
# the library's areas. First measured at caught 0.882, right rule 0.784, clean flagged 0.000.
DEV2 = Path(__file__).parent / "quality_dev2.jsonl"
# A third development set, of every rule, written after the second was tuned on and committed
# before the checker was run on it. First measured at caught 0.929, right rule 0.929, clean
# flagged 0.000 (compound 8/10, unmeasurable 8/10, every other rule all of its sentences).
DEV3 = Path(__file__).parent / "quality_dev3.jsonl"
# A fourth, written after the third was tuned on and committed before the checker was run on it.
# First measured at caught 0.891, right rule 0.848, clean flagged 0.000 (compound 9/11,
# unmeasurable 7/10, brand 3/4, superlative 1/2, every other rule all of its sentences).
DEV4 = Path(__file__).parent / "quality_dev4.jsonl"
# A third blind set (168 sentences, sv 104, en 64, 47 clean), written from the rules' kinds and
# the library's areas without reading the checker. First measured, unseen: caught 0.942, right
# rule 0.927, clean flagged 0.021 (solution 9/13, compound 11/13, brand 14/15, loophole 13/14,
# open-ended 13/14 and one clean sentence flagged by it, every other rule all of its sentences).
# It is tuned on since, so its figures no longer measure unseen text.
BLIND3 = Path(__file__).parent / "quality_blind3.jsonl"
# A fifth development set of the rules tuned on after the third blind set (solution, compound,
# brand, loophole, open-ended; 10 sentences each) and 14 clean ones, committed before the
# checker was run on it. First measured at caught 0.660, right rule 0.660, clean flagged 0.071
# (solution 2/10, open-ended 6/10, compound 7/10, brand 9/10, loophole 9/10).
DEV5 = Path(__file__).parent / "quality_dev5.jsonl"
# A second blind set (241 sentences, sv 145, en 96, 70 clean, 20 of each rule), written without
# reading the checker and kept from its tuning until it was committed. Measured unseen, at the
# commit that added it: caught 0.895, right rule 0.883, clean flagged 0.029 (compound 14/20,
# solution 14/20, vague 17/20, brand 18/20, open-ended 18/20 and 2 clean sentences flagged by
# it, unmeasurable 18/20, every other rule 20/20). It is tuned on since, so its figures no
# longer measure unseen text.
BLIND2 = Path(__file__).parent / "quality_blind2.jsonl"
# A fourth blind set (128 sentences, sv 74, en 54, 35 clean, 9 to 11 of each rule), written
# without reading the checker (the four sentences it happened to share with sets tuned on were
# taken out). Measured unseen twice: before the rules the second blind set pointed to, caught
# 0.925, right rule 0.925, clean flagged 0.057; after them, caught 0.935, right rule 0.935,
# clean flagged 0.057 (solution 7/11, superlative 9/10, open-ended 10/11 and 2 clean sentences
# flagged by it, every other rule all of its sentences). Its misses were looked at and fixed
# since (the superlative, loophole and vague round of rules), so it is a tuning set now and its
# figures no longer measure unseen text.
BLIND4 = Path(__file__).parent / "quality_blind4.jsonl"
# A sixth development set (101 sentences, sv 56, en 45, 31 clean) of superlatives, loopholes and
# vague words in kinds the sets before lacked (absolutes such as "alltid vara tillgänglig" and
# "zero downtime", superlative forms of any word, softeners such as "såvida inte annat
# överenskommits" and "subject to availability", inflected and compound vague words), a few of
# every other rule, and hard clean sentences (bounds, defined vague words, regulations required
# by law, "eller likvärdig miljömärkning", plain orders with "alltid" and "never"). Committed
# before the checker was run on it: caught 0.514, right rule 0.458, clean flagged 0.065
# (superlative 8/24, loophole 8/20, vague 6/16, brand 1/2).
DEV6 = Path(__file__).parent / "quality_dev6.jsonl"
# A fifth blind set (143 sentences, sv 83, en 60, 40 clean, 7 to 13 of each rule), written
# without reading the checker and committed before any tuning on it. Measured unseen: caught
# 0.874, right rule 0.860, clean flagged 0.050 at the commit before the sixth round of rules;
# caught 0.893, right rule 0.888, clean flagged 0.050 after it (superlative 7/13, loophole
# 11/13, solution 11/13, vague 11/12, compound 11/12, and 2 clean sentences flagged, one
# open-ended, one unmeasurable). Its misses were looked at and fixed since (the seventh round of
# rules), so it is a tuning set now and its figures no longer measure unseen text.
BLIND5 = Path(__file__).parent / "quality_blind5.jsonl"
SENTENCE_RULES = [rule for rule in RULES if rule != "turnover"]
# The held-out set's first measurement, before any fix made after seeing it: caught 0.852,
# right rule 0.833, clean flagged 0.034 (2 of 58). The floor is what the checker reaches now,
# after general fixes that its misses pointed to (see the commit messages), so that a
# regression fails; it is no longer an unseen measurement.
# After general fixes (some pointed to by its misses): caught 0.954 (103 of 108), right rule
# 0.944 (102 of 108), clean flagged 0.017 (1 of 58), every rule at 11 or 12 of 12. After the
# superlative, loophole and vague round of rules (which did not look at it): caught 0.972, right
# rule 0.972, clean flagged 0.017 (superlative 12/12 from 11/12).
HELD_OUT_FLOOR = {"caught": 0.97, "right rule": 0.97, "clean flagged": 0.02}
TUNING_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.02}
# What the checker reaches on the former fresh set now that it is tuned on: 1.000 / 1.000 /
# 0.000, every rule at all of its sentences.
FRESH_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.02}
DEV2_FLOOR = {"caught": 0.97, "right rule": 0.95, "clean flagged": 0.03}
DEV3_FLOOR = {"caught": 0.97, "right rule": 0.97, "clean flagged": 0.03}
DEV4_FLOOR = {"caught": 0.97, "right rule": 0.97, "clean flagged": 0.03}
# What the checker reaches on them after the fixes they pointed to: the third blind set 0.992 /
# 0.992 / 0.000 (compound 12/13, every other rule all of its sentences), the fifth development
# set 1.000 / 1.000 / 0.000.
BLIND3_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.01}
DEV5_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# What the checker reaches on the second blind set after the fixes it pointed to: 0.988 /
# 0.972 / 0.000 (solution 18/20, brand, vague and unmeasurable 19/20, every other rule all of
# its sentences); 0.988 / 0.978 / 0.000 after the superlative, loophole and vague round (vague
# 20/20).
BLIND2_FLOOR = {"caught": 0.98, "right rule": 0.975, "clean flagged": 0.0}
# What the checker reaches on the fourth blind set after the fixes it pointed to: 1.000 / 1.000
# / 0.000, every rule all of its sentences.
BLIND4_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# What the checker reaches on the sixth development set after tuning on it: 1.000 / 1.000 /
# 0.000.
DEV6_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# What the checker reaches on the fifth blind set after the fixes it pointed to: 1.000 / 1.000
# / 0.000, every rule all of its sentences.
BLIND5_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# The sixth blind set (146 sentences, sv 82, en 64, 38 clean), written by someone who had read
# neither the checker nor the other sets, unseen until 2026-12-04 (its misses were not looked
# at): at 0762baa caught 0.917, right rule 0.902, clean flagged 0.105; after the sixth round of
# rules 0.954 / 0.938 / 0.079; after the seventh 0.963 / 0.946 / 0.053. Its misses were looked
# at and fixed since (the eighth round of rules), so it is a tuning set now: 1.000 / 1.000 /
# 0.000 after that round, every rule all of its sentences.
BLIND6 = Path(__file__).parent / "quality_blind6.jsonl"
BLIND6_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# A seventh blind set (149 sentences, sv 88, en 61, 41 clean), written without reading the
# checker; its one sentence shared with other sets ("Leverantören ska vara certifierad enligt
# ISO 14001.") was taken out. Measured unseen, before any tuning on it: caught 0.917, right rule
# 0.912, clean flagged 0.000 (0.917 / 0.911 / 0.000 without the shared sentence; standard,
# open-ended, superlative and solution 10/12 each, compound 12/13, unmeasurable 11/12). Its
# misses were looked at and fixed since (the eighth round of rules), so it is a tuning set now:
# 1.000 / 1.000 / 0.000 after that round, every rule all of its sentences.
BLIND7 = Path(__file__).parent / "quality_blind7.jsonl"
BLIND7_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# A ninth blind set (148 sentences, sv 89, en 59, 39 clean), written on 2026-12-04 without
# reading the checker or the other sets; its two sentences shared with other sets were taken
# out. Measured unseen, before any tuning: caught 0.900, right rule 0.881, clean flagged 0.000
# (solution 7/12, unmeasurable 10/13, superlative 11/14, compound 12/14, loophole 13/14, the
# other rules every sentence). Tuned on since (the ninth round of rules): two labels stay apart
# from the checker's reading: "ska alltid ha personal på plats ... under serveringstid" (a plain
# order with its time, not an absolute) and "leverera, montera och avemballera möblerna" (three
# verbs of one object, one delivery).
BLIND9 = Path(__file__).parent / "quality_blind9.jsonl"
BLIND9_FLOOR = {"caught": 0.98, "right rule": 0.98, "clean flagged": 0.0}
# A tenth blind set (150 sentences, sv 90, en 60, 40 clean), written on 2026-12-04 apart from
# the checker and the other sets. Measured unseen after the ninth round: caught 0.873, right
# rule 0.856, clean flagged 0.100 (solution 8/13, superlative 9/13, unmeasurable 10/13,
# open-ended 11/13; four clean sentences flagged). Tuned on since (the tenth round). Two
# open-ended labels stay apart from the checker's reading (examples of a class the subject
# names; a list followed by a reference to where other things are listed), so that rule is
# held at 11/13 here.
BLIND10 = Path(__file__).parent / "quality_blind10.jsonl"
BLIND10_FLOOR = {"caught": 0.95, "right rule": 0.95, "clean flagged": 0.0, "rule": 0.84}
# An eleventh blind set (147 sentences, sv 88, en 59, 40 clean), written on 2026-12-04 apart
# from the checker and the other sets; its three sentences shared with other sets were taken
# out. Measured unseen after the tenth round: caught 0.879, right rule 0.847, clean flagged
# 0.000 (superlative 6/12, compound 10/14, solution 10/13, unmeasurable 10/12). Tuned on since
# (the eleventh round).
BLIND11 = Path(__file__).parent / "quality_blind11.jsonl"
BLIND11_FLOOR = {"caught": 0.99, "right rule": 0.98, "clean flagged": 0.0}
# A twelfth blind set (143 sentences, sv 85, en 58, 39 clean), written on 2026-12-04 apart
# from the checker and the other sets; its seven sentences shared with other sets were taken
# out. Measured unseen after the eleventh round: caught 0.873, right rule 0.862, clean flagged
# 0.025 on all 150 (0.865 / 0.855 / 0.026 on these 143; superlative 10/14, compound 8/12,
# solution 8/12, brand 11/13, unmeasurable 11/13). Tuned on since (the twelfth round).
BLIND12 = Path(__file__).parent / "quality_blind12.jsonl"
BLIND12_FLOOR = {"caught": 0.97, "right rule": 0.96, "clean flagged": 0.0}
# A thirteenth blind set (147 sentences, sv 89, en 58, 40 clean), written on 2026-12-04 apart
# from the checker and the other sets, asked for forms a checker tuned on common examples would
# not expect; its three sentences shared with other sets were taken out. Measured unseen after
# the twelfth round: caught 0.827, right rule 0.769, clean flagged 0.000 on all 150
# (superlative 8/13, compound, solution and unmeasurable 9/13, vague 10/13). Tuned on since
# (the thirteenth round); compound stays at 10/13 (lists of qualifications after "ha", two
# verbs of which one takes a preposition, English adjectives before a participle) and
# open-ended at 11/13 (a single example closing the sentence), so this set holds its own floor
# per rule.
BLIND13 = Path(__file__).parent / "quality_blind13.jsonl"
BLIND13_FLOOR = {"caught": 0.94, "right rule": 0.92, "clean flagged": 0.0, "rule": 0.76}
# A fourteenth blind set (150 sentences, sv 90, en 60, 42 clean), written on 2026-12-06 apart
# from the checker and the other sets; its five sentences shared with other sets were taken
# out. Measured unseen after the thirteenth round: caught 0.889, right rule 0.850, clean flagged
# 0.024 on all 150 (solution 7/12: a means prescribed with its function given as a purpose;
# loophole 9/12, compound 10/13). Tuned on since (the fourteenth round); compound stays at 12/13
# (a second demand in an absolute clause: "with the containers collected").
BLIND14 = Path(__file__).parent / "quality_blind14.jsonl"
BLIND14_FLOOR = {"caught": 0.98, "right rule": 0.98, "clean flagged": 0.0}
# A fifteenth blind set (152 sentences, sv 92, en 60, 40 clean), written on 2026-12-06 apart
# from the checker and the other sets; its one sentence shared with another set was taken out.
# Measured unseen after the fourteenth round: caught 0.911, right rule 0.897, clean flagged
# 0.000 on the 151 left (compound 8/13: a list of documents after "ta fram", a demand after an
# inverted subject or a short adverbial, a state then a passive; vague, loophole 11/13). Tuned on
# since (the fifteenth round).
BLIND15 = Path(__file__).parent / "quality_blind15.jsonl"
BLIND15_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# A sixteenth blind set (148 sentences, sv 90, en 58, 40 clean), written on 2026-12-06 apart
# from the checker and the other sets; its one sentence shared with another set was taken out.
# Measured unseen after the fifteenth round: caught 0.925, right rule 0.920, clean flagged
# 0.025 on the 147 left (solution 8/12: a means with its function given only as a purpose, a
# component as the predicate beside its level, a means after a function in the subject;
# open-ended 11/13; a species' scientific name read as a brand). Tuned on since (the sixteenth
# round).
BLIND16 = Path(__file__).parent / "quality_blind16.jsonl"
BLIND16_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# A seventeenth blind set (150 sentences, sv 89, en 61, 40 clean), written on 2026-12-06 apart
# from the checker and the other sets; its four sentences shared with other sets were taken
# out. Measured unseen after the sixteenth round: caught 0.917, right rule 0.903, clean flagged
# 0.026 on the 146 left (brand 10/13: "eller motsvarande modell från samma tillverkare", a
# lower-case "smartboard", "to excel"; superlative and solution 10/12; a list after a colon read
# as several demands). Tuned on since (the seventeenth round).
BLIND17 = Path(__file__).parent / "quality_blind17.jsonl"
BLIND17_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# An eighteenth blind set (152 sentences, sv 90, en 62, 40 clean), written on 2026-12-06 apart
# from the checker and the other sets, asked to be harder (long sentences, conditions, absolutes
# in subordinate clauses); its one sentence shared with another set was taken out. Measured
# unseen after the seventeenth round: caught 0.865, right rule 0.845, clean flagged 0.025 on the
# 151 left (superlative and solution 9/13, brand and compound 10/13). Tuned on since (the
# eighteenth round); two are left: a time word whose sentence has a number for something
# else, and a second demand inside a "with" phrase.
BLIND18 = Path(__file__).parent / "quality_blind18.jsonl"
BLIND18_FLOOR = {"caught": 0.98, "right rule": 0.98, "clean flagged": 0.0}
# A nineteenth blind set (153 sentences, sv 92, en 61, 41 clean), written on 2026-12-06 apart
# from the checker and the other sets; its five sentences shared with other sets were taken
# out. Measured unseen after the eighteenth round: caught 0.852, right rule 0.850, clean flagged
# 0.025 on the 148 left (solution 8/13, open-ended 9/12, standard-equivalent 10/12). Tuned on
# since (the nineteenth round); left: "en SSD-disk om minst 512 GB", where a floor of storage is
# taken as the level the library itself sets.
BLIND19 = Path(__file__).parent / "quality_blind19.jsonl"
BLIND19_FLOOR = {"caught": 0.99, "right rule": 0.99, "clean flagged": 0.0}
# A twentieth blind set (150 sentences, sv 87, en 63, 40 clean), written on 2026-12-06 apart
# from the checker and the other sets; its ten sentences shared with other sets were taken out.
# Measured unseen after the nineteenth round: caught 0.873, right rule 0.841, clean flagged
# 0.053 on the 140 left (unmeasurable 7/11, superlative 7/10, compound 10/13). Tuned on since
# (the twentieth round); left: "deliver ... and assemble it", "leverera ... och installera dem"
# (a delivery and its assembly read as one), "tork-hållarna" (a brand that is also a Swedish
# word) and "high throughput for its 400 users" (a number for something else).
BLIND20 = Path(__file__).parent / "quality_blind20.jsonl"
# A twenty-first blind set (150 sentences, sv 90, en 60, 40 clean), written on 2026-12-06 apart
# from the checker and the other sets; its six sentences shared with other sets were taken out.
# Kept unseen: measured after the twentieth round and never tuned on, its misses not read
# (caught 0.895, right rule 0.855, clean flagged 0.000; solution 8/13, compound 10/13). Its floor
# is what it measured, so that a change that makes it worse is seen.
BLIND21 = Path(__file__).parent / "quality_blind21.jsonl"
BLIND21_FLOOR = {"caught": 0.89, "right rule": 0.85, "clean flagged": 0.0, "rule": 0.6}
BLIND20_FLOOR = {"caught": 0.96, "right rule": 0.95, "clean flagged": 0.0, "rule": 0.84}

# The Swedish texts of the checker's messages. The translator adds them to messages.po; until
# then the tests lend them to the catalogue, so that they check the wiring, not the translation.
SWEDISH = {
    "“%(word)s” names a brand, manufacturer or product without “or equivalent”.": (
        "”%(word)s” anger ett varumärke, en tillverkare eller en produkt utan ”eller likvärdigt”."
    ),
    "“%(word)s” cites a standard or label without “or equivalent”.": (
        "”%(word)s” hänvisar till en standard eller märkning utan ”eller likvärdigt”."
    ),
    "“%(word)s” is subjective and cannot be verified.": (
        "”%(word)s” är subjektivt och går inte att verifiera."
    ),
    "“%(word)s” leaves open when the requirement applies.": (
        "”%(word)s” lämnar öppet när kravet gäller."
    ),
    "“%(word)s” leaves the scope of the requirement open.": (
        "”%(word)s” lämnar kravets omfattning öppen."
    ),
    "“%(word)s” asks for the best or the most without a verifiable level.": (
        "”%(word)s” efterfrågar det bästa eller mesta utan en nivå som går att verifiera."
    ),
    "This sentence holds more than one requirement (“%(word)s”).": (
        "Meningen innehåller mer än ett krav (”%(word)s”)."
    ),
    "“%(word)s” prescribes a solution instead of the function needed.": (
        "”%(word)s” föreskriver en lösning i stället för den funktion som behövs."
    ),
    "“%(word)s” is named without a value and a unit.": "”%(word)s” anges utan värde och enhet.",
    "The required yearly turnover (%(turnover)s SEK) is more than twice the estimated "
    "contract value (%(value)s SEK).": (
        "Den krävda årsomsättningen (%(turnover)s kronor) är mer än dubbelt så hög som "
        "kontraktets uppskattade värde (%(value)s kronor)."
    ),
    "Lower the requirement to at most %(limit)s SEK, or state in the tender document the "
    "special reasons for a higher one (directive 2014/24/EU art. 58.3).": (
        "Sänk kravet till högst %(limit)s kronor, eller ange i förfrågningsunderlaget de "
        "särskilda skäl som motiverar ett högre krav (direktiv 2014/24/EU art. 58.3)."
    ),
    "Describe the function instead: “… shall achieve …, measured as …”. Only if the object "
    "cannot be described clearly otherwise, write “%(word)s or equivalent” and say what makes a"
    " product equivalent.": (
        "Beskriv funktionen i stället: ”… ska klara …, mätt som …”. Bara om föremålet inte kan "
        "beskrivas tydligt på annat sätt: skriv ”%(word)s eller likvärdigt” och ange vad som "
        "gör en produkt likvärdig."
    ),
    "Give a measurable value instead of “%(word)s”: “… shall … within / at least / at most "
    "[value] [unit], measured as …”.": (
        "Ange ett mätbart värde i stället för ”%(word)s”: ”… ska … inom / minst / högst [värde]"
        " [enhet], mätt som …”."
    ),
    "Give “%(word)s” a value: “%(word)s shall be at most / at least [value] [unit], measured as"
    " …”, for example a response time under 2 seconds for 95 per cent of requests.": (
        "Ge ”%(word)s” ett värde: ”%(word)s ska vara högst / minst [värde] [enhet], mätt som "
        "…”, till exempel en svarstid under 2 sekunder för 95 procent av anropen."
    ),
    "List everything that is required: “… shall handle [A], [B] and [C]”, or “… shall handle "
    "everything listed in annex [X]”.": (
        "Räkna upp allt som krävs: ”… ska hantera [A], [B] och [C]”, eller ”… ska hantera allt "
        "som anges i bilaga [X]”."
    ),
    "Remove “%(word)s”, or state the condition: “… shall … when [condition], as decided by [the"
    " contracting authority]”.": (
        "Ta bort ”%(word)s”, eller skriv villkoret: ”… ska … när [villkor], enligt beslut av "
        "[den upphandlande myndigheten]”."
    ),
    "Set a level: “… shall be at least / at most [value] [unit], measured as …”, or make it an "
    "award criterion: “[property] is scored from 0 to [points] according to …”.": (
        "Ange en nivå: ”… ska vara minst / högst [värde] [enhet], mätt som …”, eller gör det "
        "till ett tilldelningskriterium: ”[egenskap] poängsätts från 0 till [poäng] enligt …”."
    ),
    "Split it into one requirement per thing the supplier answers yes or no to: "
    "%(requirements)s.": (
        "Dela upp i ett krav per sak som leverantören ska svara ja eller nej på: %(requirements)s."
    ),
    "Split it into one requirement per thing the supplier answers yes or no to: “[who] shall "
    "[the first thing] …”. “[who] shall [the next thing] …”.": (
        "Dela upp i ett krav per sak som leverantören ska svara ja eller nej på: ”[vem] ska "
        "[det första] …”. ”[vem] ska [nästa sak] …”."
    ),
    "State the function instead: “… shall let [users] [do what], measured as …”, and let the "
    "suppliers offer how.": (
        "Ange funktionen i stället: ”… ska låta [användare] [göra vad], mätt som …”, och låt "
        "leverantörerna erbjuda hur."
    ),
    "Write “… shall meet %(word)s or equivalent”, and accept other proof of the same level, for"
    " example a test report from an accredited body.": (
        "Skriv ”… ska uppfylla %(word)s eller likvärdigt”, och godta andra bevis på samma nivå,"
        " till exempel en provningsrapport från ett ackrediterat organ."
    ),
    "“%(requirement)s”": "”%(requirement)s”",
}


def rules_of(text: str, lang: str = "auto") -> set[str]:
    return {rule for finding in check_text(text, lang) for rule in finding.rules}


def words_of(text: str, rule: str, lang: str = "auto") -> list[str]:
    return [text[f.start : f.end] for f in check_text(text, lang) if rule in f.rules]


def read_cases(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def scores(cases: list[dict[str, object]]) -> tuple[float, float, float]:
    """(share of smelly sentences caught, share of labelled smells found under the right rule,
    share of clean sentences given any finding)."""
    smelly = caught = labelled = right = clean = flagged = 0
    for case in cases:
        found = rules_of(str(case["text"]), str(case["lang"]))
        smells = set(case["smells"])  # type: ignore[call-overload]
        if smells:
            smelly += 1
            caught += bool(found)
            labelled += len(smells)
            right += len(smells & found)
        else:
            clean += 1
            flagged += bool(found)
    return caught / smelly, right / labelled, flagged / clean


# --- the labelled sample, the first cases and the evaluation sets ----------------------------


@pytest.mark.skipif(not SAMPLE.exists(), reason=f"{SAMPLE} is not here")
def test_every_labelled_smell_in_the_sample_is_found_and_no_clean_sentence_is_flagged() -> None:
    for case in read_cases(SAMPLE):
        found = rules_of(str(case["text"]), str(case["lang"]))
        assert set(case["smells"]) <= found, case  # type: ignore[call-overload]
        if not case["smells"]:
            assert not found, case


def test_the_first_cases_cover_both_languages_and_every_sentence_rule() -> None:
    cases = read_cases(CASES)
    for lang in ("sv", "en"):
        assert sum(1 for case in cases if case["lang"] == lang) >= 80
    labelled = {smell for case in cases for smell in case["smells"]}  # type: ignore[attr-defined]
    assert labelled == set(RULES) - {"turnover"}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_first_cases_meet_their_quality_targets(lang: str) -> None:
    caught, right_rule, clean_flagged = scores(
        [case for case in read_cases(CASES) if case["lang"] == lang]
    )
    assert caught >= 0.90
    assert right_rule >= 0.85
    assert clean_flagged <= 0.10


def per_rule(cases: list[dict[str, object]]) -> dict[str, tuple[int, int, int]]:
    """rule -> (labelled smells found under it, labelled smells, clean sentences it flags)."""
    figures = {rule: [0, 0, 0] for rule in SENTENCE_RULES}
    for case in cases:
        found = rules_of(str(case["text"]), str(case["lang"]))
        smells = set(case["smells"])  # type: ignore[call-overload]
        for rule in smells:
            figures[rule][1] += 1
            figures[rule][0] += rule in found
        if not smells:
            for rule in found:
                figures[rule][2] += 1
    return {
        rule: (found, labelled, flagged) for rule, (found, labelled, flagged) in figures.items()
    }


def report(name: str, cases: list[dict[str, object]]) -> str:
    caught, right_rule, clean_flagged = scores(cases)
    clean = sum(1 for case in cases if not case["smells"])
    lines = [
        f"{name}: {len(cases)} sentences, caught {caught:.3f}, right rule {right_rule:.3f}, "
        f"clean flagged {clean_flagged:.3f}"
    ]
    for rule, (found, labelled, flagged) in per_rule(cases).items():
        recall = f"{found / labelled:.2f}" if labelled else "  - "
        lines.append(
            f"  {rule:<20} found {found:3d}/{labelled:<3d} ({recall})  "
            f"clean flagged {flagged}/{clean}"
        )
    return "\n".join(lines)


def test_the_generalised_sets_cover_every_kind_in_both_languages_and_are_apart() -> None:
    sets = {path: read_cases(path) for path in (DEV, OLD_HELD_OUT, HELD_OUT, TUNING, FRESH)}
    for cases in sets.values():
        for lang in ("sv", "en"):
            assert sum(1 for case in cases if case["lang"] == lang) >= 50
        labelled = {smell for case in cases for smell in case["smells"]}  # type: ignore[attr-defined]
        assert labelled == set(SENTENCE_RULES)
        assert sum(1 for case in cases if not case["smells"]) >= 30
    held_out = sets[HELD_OUT]
    assert len(held_out) >= 150 and sum(1 for case in held_out if not case["smells"]) >= 50
    for rule in SENTENCE_RULES:
        assert sum(rule in case["smells"] for case in held_out) >= 12, rule  # type: ignore[operator]
    texts = [{case["text"] for case in cases} for cases in sets.values()]
    assert all(
        first.isdisjoint(second) for index, first in enumerate(texts) for second in texts[:index]
    )


def test_the_development_set_meets_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    """`pytest -s -k "_set_"` prints every set's figures, rule by rule."""
    cases = read_cases(DEV)
    with capsys.disabled():
        print("\n" + report("development", cases))
    caught, right_rule, clean_flagged = scores(cases)
    assert caught >= 0.95 and right_rule >= 0.90 and clean_flagged <= 0.05
    for rule, (found, labelled, _flagged) in per_rule(cases).items():
        assert labelled == 0 or found / labelled > 0.85, rule


def test_the_old_held_out_set_is_reported_and_holds_a_floor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The old held-out figures are printed; its floor is the one set before it was seen."""
    cases = read_cases(OLD_HELD_OUT)
    with capsys.disabled():
        print("\n" + report("old held-out (seen)", cases))
    caught, right_rule, clean_flagged = scores(cases)
    assert caught >= 0.80 and right_rule >= 0.75 and clean_flagged <= 0.10


def test_the_held_out_set_is_reported_and_holds_a_floor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The held-out figures are printed beside the development set's. The floor is what the
    checker reaches on it now (HELD_OUT_FLOOR); the issue's targets, and every rule above 0.85,
    are asserted where they are reached."""
    cases = read_cases(HELD_OUT)
    with capsys.disabled():
        print("\n" + report("held-out", cases))
    caught, right_rule, clean_flagged = scores(cases)
    assert caught >= HELD_OUT_FLOOR["caught"] and right_rule >= HELD_OUT_FLOOR["right rule"]
    assert clean_flagged <= HELD_OUT_FLOOR["clean flagged"]
    for rule, (found, labelled, _flagged) in per_rule(cases).items():
        assert found / labelled > 0.85, rule


def test_the_tuning_set_is_reported_and_holds_a_floor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The set written for issue 14 to tune on."""
    cases = read_cases(TUNING)
    with capsys.disabled():
        print("\n" + report("tuning", cases))
    caught, right_rule, clean_flagged = scores(cases)
    assert caught >= TUNING_FLOOR["caught"] and right_rule >= TUNING_FLOOR["right rule"]
    assert clean_flagged <= TUNING_FLOOR["clean flagged"]


def test_the_fresh_set_is_reported_and_holds_a_floor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The former fresh set, now tuned on (see FRESH): the figures are printed and the floor is
    what the checker reaches, with every rule above 0.85, so that a regression fails."""
    cases = read_cases(FRESH)
    with capsys.disabled():
        print("\n" + report("fresh (tuned on since)", cases))
    caught, right_rule, clean_flagged = scores(cases)
    assert caught >= FRESH_FLOOR["caught"] and right_rule >= FRESH_FLOOR["right rule"]
    assert clean_flagged <= FRESH_FLOOR["clean flagged"]
    for rule, (found, labelled, _flagged) in per_rule(cases).items():
        assert found / labelled > 0.85, rule


@pytest.mark.parametrize(
    ("name", "path", "floor"),
    [
        ("development 2", DEV2, DEV2_FLOOR),
        ("development 3", DEV3, DEV3_FLOOR),
        ("development 4", DEV4, DEV4_FLOOR),
        ("blind 3 (tuned on since)", BLIND3, BLIND3_FLOOR),
        ("development 5", DEV5, DEV5_FLOOR),
        ("blind 2 (tuned on since)", BLIND2, BLIND2_FLOOR),
        ("blind 4 (tuned on since)", BLIND4, BLIND4_FLOOR),
        ("development 6", DEV6, DEV6_FLOOR),
        ("blind 5 (tuned on since)", BLIND5, BLIND5_FLOOR),
        ("blind 6 (tuned on since 2026-12-04)", BLIND6, BLIND6_FLOOR),
        ("blind 7 (tuned on since 2026-12-04)", BLIND7, BLIND7_FLOOR),
        ("blind 9 (tuned on since 2026-12-04)", BLIND9, BLIND9_FLOOR),
        ("blind 10 (tuned on since 2026-12-04)", BLIND10, BLIND10_FLOOR),
        ("blind 11 (tuned on since 2026-12-04)", BLIND11, BLIND11_FLOOR),
        ("blind 12 (tuned on since 2026-12-04)", BLIND12, BLIND12_FLOOR),
        ("blind 13 (tuned on since 2026-12-04)", BLIND13, BLIND13_FLOOR),
        ("blind 14 (tuned on since 2026-12-06)", BLIND14, BLIND14_FLOOR),
        ("blind 15 (tuned on since 2026-12-06)", BLIND15, BLIND15_FLOOR),
        ("blind 16 (tuned on since 2026-12-06)", BLIND16, BLIND16_FLOOR),
        ("blind 17 (tuned on since 2026-12-06)", BLIND17, BLIND17_FLOOR),
        ("blind 18 (tuned on since 2026-12-06)", BLIND18, BLIND18_FLOOR),
        ("blind 19 (tuned on since 2026-12-06)", BLIND19, BLIND19_FLOOR),
        ("blind 20 (tuned on since 2026-12-06)", BLIND20, BLIND20_FLOOR),
        ("blind 21 (unseen, never tuned on)", BLIND21, BLIND21_FLOOR),
    ],
)
def test_each_later_development_set_is_reported_and_holds_a_floor(
    name: str, path: Path, floor: dict[str, float], capsys: pytest.CaptureFixture[str]
) -> None:
    """The later development sets and the blind sets tuned on (see DEV2 to DEV6, BLIND3,
    BLIND2, BLIND4, BLIND5, BLIND6, BLIND7, BLIND9 to BLIND20): every rule a set has sentences
    of above 0.85 (or the set's own "rule" floor)."""
    cases = read_cases(path)
    with capsys.disabled():
        print("\n" + report(name, cases))
    caught, right_rule, clean_flagged = scores(cases)
    assert caught >= floor["caught"] and right_rule >= floor["right rule"]
    assert clean_flagged <= floor["clean flagged"]
    for rule, (found, labelled, _flagged) in per_rule(cases).items():
        assert labelled == 0 or found / labelled > floor.get("rule", 0.85), rule


SHARED_BY_BLIND3 = {
    "Leverantören ska vara certifierad enligt ISO 14001.",  # also in CASES and DEV
    "Ventilationen ska ge en acceptabel ljudnivå i klassrummen.",  # also in HELD_OUT
}
# The second blind set, written apart from the others, shares four sentences with them.
SHARED_BY_BLIND2 = {
    "Rengöringsmedlen ska vara märkta med Svanen eller likvärdig miljömärkning.",  # also in DEV
    "Rengöringsmedlen ska vara märkta med Svanen.",  # also in FRESH
    "Konsulten ska ha gedigen erfarenhet av detaljplanearbete.",  # also in BLIND3
    "Verksamhetssystemet ska lagra all data i en relationsdatabas.",  # also in BLIND3
}
ALL_SETS = (
    CASES,
    DEV,
    OLD_HELD_OUT,
    HELD_OUT,
    TUNING,
    FRESH,
    DEV2,
    DEV3,
    DEV4,
    BLIND3,
    DEV5,
    BLIND2,
    BLIND4,
    DEV6,
    BLIND5,
    BLIND6,
    BLIND7,
    BLIND9,
    BLIND10,
    BLIND11,
    BLIND12,
    BLIND13,
    BLIND14,
    BLIND15,
    BLIND16,
    BLIND17,
    BLIND18,
    BLIND19,
    BLIND20,
    BLIND21,
)


@pytest.mark.parametrize(
    "path",
    [
        DEV2,
        DEV3,
        DEV4,
        BLIND3,
        DEV5,
        BLIND2,
        BLIND4,
        DEV6,
        BLIND5,
        BLIND6,
        BLIND7,
        BLIND9,
        BLIND10,
        BLIND11,
        BLIND12,
        BLIND13,
        BLIND14,
        BLIND15,
        BLIND16,
        BLIND17,
        BLIND18,
        BLIND19,
        BLIND20,
        BLIND21,
    ],
)
def test_the_new_development_sets_are_apart_from_the_other_sets(path: Path) -> None:
    cases = read_cases(path)
    for lang in ("sv", "en"):
        assert sum(1 for case in cases if case["lang"] == lang) >= 30
    assert sum(1 for case in cases if not case["smells"]) >= (10 if path == DEV5 else 30)
    # The blind sets, written apart from the others, share a few sentences with them.
    texts = {case["text"] for case in cases} - SHARED_BY_BLIND3 - SHARED_BY_BLIND2
    for other in ALL_SETS:
        if other != path:
            assert texts.isdisjoint(case["text"] for case in read_cases(other)), other


# --- brands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("Leverantören ska leverera bärbara datorer av märket Lenovo.", "Lenovo"),
        ("Städmaskinerna ska vara av fabrikat Vanheim.", "Vanheim"),  # not in the lexicon
        ("Kassasystemet ska vara Kassaflex.", "Kassaflex"),  # a capitalised word mid-sentence
        ("Data shall be stored in DataVault.", "DataVault"),  # mixed case
        ("The case management system shall be NovaCase™.", "NovaCase"),
        ("The tablets shall be of the brand Lumora.", "Lumora"),
        ("Meals shall be served on Duralex plates.", "Duralex"),  # a name before goods
        ("Mötesrummen ska utrustas med Jabra-högtalare.", "Jabra"),
        ("Bilarna ska vara av typ Toyota Proace.", "Toyota Proace"),
    ],
)
def test_brands_are_found_also_beyond_the_lexicon(text: str, brand: str) -> None:
    assert words_of(text, "brand") == [brand]


@pytest.mark.parametrize(
    "text",
    [
        "Leverantören ska följa Skatteverkets anvisningar för personalliggare.",
        "Rapporten ska lämnas enligt mallen i Bilaga 2.",
        "Personuppgifter ska behandlas inom EU/EES.",
        "Temperaturen ska hållas mellan 2 och 6 grader Celsius.",
        "Magnetfältet får vara högst 0,5 Tesla.",
        "Leverantören ska anmäla incidenter till MSB och IMY enligt GDPR.",
        "Leveranser till Region Gävleborg och Knivsta kommun ska ske vardagar.",
        "Rapporten ska ges in till Länsstyrelsen i Västra Götalands län.",
        "Leverantören ska utföra Uppdraget i enlighet med Avtalet.",
        "Upphandlingsmyndigheten rekommenderar krav på basnivå.",
        "Transporterna ska utföras med fordon som uppfyller Euro VI.",
        "Leverantören ska följa Kommunals kollektivavtal.",
        "On Monday mornings the supplier shall empty all recycling bins before 09:00.",
        "The supplier shall comply with the Swedish Work Environment Authority's regulations.",
    ],
)
def test_capitalised_words_that_are_no_brand_are_left_alone(text: str) -> None:
    assert "brand" not in rules_of(text)


def test_a_brand_followed_by_or_equivalent_is_accepted() -> None:
    assert not check_text("Bilarna ska vara av modell Volvo XC40 eller likvärdigt.")
    assert not check_text("Mobile phones shall be iPhone 15 or equivalent.")


def test_a_brand_is_a_blocker_citing_lou_9_kap_6() -> None:
    (finding,) = check_text("The supplier shall deliver Dell laptops.")
    assert (finding.rule, finding.severity, finding.reference) == (
        "brand",
        "blocker",
        "LOU 9 kap. 6 §",
    )


def test_a_product_prescribed_as_platform_is_a_brand_and_not_also_a_solution() -> None:
    # The sample labels "byggas i SharePoint" brand only: the brand finding already says it.
    assert rules_of("Plattformen ska byggas i SharePoint.") == {"brand"}
    assert rules_of("Plattformen ska byggas i Java.") == {"solution"}
    assert rules_of("Tjänsten ska vara en app.") == {"solution"}


# --- standards and labels -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "citation"),
    [
        ("Tjänsten ska uppfylla kraven i SS-EN 301 549.", "SS-EN 301 549"),
        ("Informationssäkerheten ska hanteras enligt ISO/IEC 27001.", "ISO/IEC 27001"),
        ("Elinstallationen ska utföras enligt SS 436 40 00.", "SS 436 40 00"),
        ("Rengöringsmedlen ska vara Svanenmärkta.", "Svanenmärkta"),
        ("Monitors shall be TCO Certified.", "TCO Certified"),
        ("Kaffet ska vara KRAV-märkt.", "KRAV-märkt"),
    ],
)
def test_a_standard_or_label_without_or_equivalent_is_found(text: str, citation: str) -> None:
    assert words_of(text, "standard-equivalent") == [citation]


@pytest.mark.parametrize(
    "text",
    [
        "Tjänsten ska uppfylla kraven i SS-EN 301 549 V3.2.1 eller likvärdigt.",
        "Ledningssystemet ska följa ISO/IEC 27001 eller motsvarande.",
        "Möblerna ska uppfylla kriterierna för Möbelfakta eller likvärdig märkning.",
        "The supplier shall hold a certificate under ISO 9001 or an equivalent system.",
        "Raderingen ska motsvara NIST SP 800-88 Rev. 1 eller likvärdigt.",
    ],
)
def test_equivalence_wording_after_a_standard_is_accepted(text: str) -> None:
    assert not check_text(text)


def test_a_standard_finding_cites_lou_9_kap() -> None:
    (finding,) = check_text("The service shall comply with ISO 14001.")
    assert finding.reference == "LOU 9 kap. 4 §" and finding.severity == "warning"


# --- wording rules --------------------------------------------------------------------------


def test_a_vague_word_with_a_value_beside_it_is_not_vague() -> None:
    assert "vague" in rules_of("Systemet ska vara snabbt.")
    assert not check_text("Systemet ska vara snabbt: sidor ska laddas inom 2 sekunder.")
    assert not check_text("The system shall be fast, responding within 2 seconds.")
    assert "vague" in rules_of("Systemet ska vara användarvänligt och hantera 500 användare.")


def test_vague_words_are_found_in_their_inflections() -> None:
    assert words_of("Systemet ska vara modernt och flexibelt.", "vague") == ["modernt", "flexibelt"]
    assert words_of("Gränssnitten ska vara enklare.", "vague") == ["enklare"]
    assert words_of("Data shall be stored securely.", "vague") == ["securely"]


def test_a_superlative_form_of_a_vague_word_is_a_superlative() -> None:
    assert rules_of("Leverantören ska erbjuda den snabbaste leveransen.") == {"superlative"}
    assert rules_of("The service shall offer the fastest response on the market.") == {
        "superlative"
    }


def test_as_high_as_possible_is_both_vague_and_superlative() -> None:
    assert rules_of("Tillgängligheten ska vara så hög som möjligt.") == {"vague", "superlative"}


def test_bounds_and_award_terms_are_no_superlatives() -> None:
    assert not check_text("Ljudnivån får vara högst 35 dB(A).")
    assert not check_text("Chairs shall carry a maximum load of 150 kg.")
    assert not check_text("Bilarna ska tillhöra den högsta energiklassen.")
    assert not check_text("Tilldelning sker på grundval av lägsta pris.")
    assert not check_text("The tender shall state the maximum number of hours per assignment.")


@pytest.mark.parametrize(
    ("text", "loophole"),
    [
        ("Svarstiden ska om möjligt understiga 2 sekunder.", "om möjligt"),
        (
            "Leverantören ska, där det är tekniskt möjligt, använda elfordon.",
            "där det är tekniskt möjligt",
        ),
        ("Leverans ska normalt ske inom 3 arbetsdagar.", "normalt"),
        ("Frukten ska helst vara ekologisk.", "helst"),
        ("Where possible, the vehicle shall be electric.", "Where possible"),
        ("The supplier shall strive to reduce emissions.", "strive to"),
        # "vid behov av tolk" names the need, but not who decides that it is there: a loophole.
        ("Stöd ska ges vid behov av tolk.", "vid behov"),
    ],
)
def test_loopholes_are_found(text: str, loophole: str) -> None:
    assert words_of(text, "loophole") == [loophole]


@pytest.mark.parametrize(
    "text",
    [
        "Beställaren kan när som helst begära ut loggarna.",
        "Utskriften ska kunna hämtas vid vilken som helst av beställarens skrivare.",
        "Byggnaden ska hålla normaltemperatur 21 °C under vintern.",
        "Energianvändningen ska räknas om till normalt brukande enligt Boverkets föreskrifter.",
        "Leverantören ska kartlägga brukarnas behov av tolk.",
        "Personal data shall be deleted as required by the GDPR.",
    ],
)
def test_the_same_words_in_another_sense_are_no_loophole(text: str) -> None:
    assert "loophole" not in rules_of(text)


def test_open_ended_lists_are_found_but_millimetres_are_not() -> None:
    swedish = "Lösningen ska stödja adresser, telefonnummer, e-post m.m."
    english = "The system shall support formats such as PDF, DOCX and ODT."
    assert words_of(swedish, "open-ended") == ["m.m."]
    assert words_of(english, "open-ended") == ["such as"]
    assert not check_text("Skivan ska vara minst 22 mm tjock.")
    assert not check_text("The warranty covers every fault, including battery and charger.")


def test_two_requirements_in_one_sentence_are_compound_but_one_modal_is_not() -> None:
    text = "Leverantören ska utbilda personalen och lösningen ska kunna exportera data."
    assert words_of(text, "compound") == ["och lösningen ska"]
    assert not check_text("Systemet ska kunna skapa rapporter och exportera dem till CSV.")
    assert not check_text("Leverantören ska ta fram en plan som beställaren ska godkänna.")


@pytest.mark.parametrize(
    "text",
    [
        "Leverantören ska leverera läsplattorna och utbilda lärarna i hur de används.",
        "The supplier shall deliver the tablets and train the teachers in using them.",
        "Floors shall be vacuumed daily, mopped every week and polished twice a year.",
        "Golven ska dammsugas dagligen, våttorkas varje vecka och bonas två gånger per år.",
        "The service shall cover hosting of the platform as well as a monthly incident report.",
    ],
)
def test_separate_deliverables_joined_by_and_are_compound(text: str) -> None:
    assert "compound" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Leverantören ska packa upp, montera och placera stolarna i varje klassrum.",
        "Leverantören ska hämta de trasiga datorerna och radera dem enligt bilaga 3.",
        "Användaren ska kunna söka fram ett ärende och skriva ut det utan inloggning.",
        "The supplier shall receive each order and confirm it within one working day.",
        "Utrustningen ska levereras av leverantören och installeras av kommunens tekniker.",
        "Loggarna ska sparas i minst 24 månader och vara skyddade mot ändring.",
    ],
)
def test_one_demand_on_one_object_is_not_compound(text: str) -> None:
    assert "compound" not in rules_of(text)


def test_a_product_word_that_is_no_swedish_word_is_a_brand_alone_in_swedish() -> None:
    assert words_of("Kallelser ska skickas ut via outlook.", "brand") == ["outlook"]
    assert words_of("Mötena ska hållas i teams.", "brand") == ["teams"]
    assert "brand" not in rules_of("The outlook for energy prices shall be described.")


def test_a_performance_word_without_a_value_is_unmeasurable() -> None:
    assert rules_of("Leverantören ska garantera systemets tillgänglighet.") == {"unmeasurable"}
    assert not check_text("Availability shall be at least 99.9 percent per calendar month.")
    assert not check_text("Anbudsgivaren ska ange svarstiden för supportärenden.")
    # Accessibility for disabled users is another "tillgänglighet".
    assert not check_text(
        "Leverantören ska lämna underlag om tjänstens tillgänglighet till "
        "tillgänglighetsredogörelsen."
    )


def test_a_thing_fitted_with_a_means_is_a_possible_solution_beyond_the_lists() -> None:
    assert words_of("The bike shed shall be covered with a green roof.", "solution") == [
        "green roof"
    ]
    assert words_of("Trapphuset ska förses med ledstänger i ek.", "solution") == ["ek"]
    # A function named, a standard or "eller likvärdigt": the means is specified enough.
    assert not check_text("Skolgården ska beläggas med ett material som klarar snöröjning.")
    assert not check_text("Bussarna ska vara försedda med ramper enligt TSFS 2010:2.")
    assert not check_text("Fordonen ska vara utrustade med vinterdäck under perioden 1 december.")


def test_a_swedish_era_verb_the_dictionary_lacks_is_a_verb_of_a_compound() -> None:
    text = "Vaktbolaget ska rondera området nattetid och larma polisen vid inbrott."
    assert "compound" in rules_of(text)


def test_the_extent_softeners_take_reasonable_too() -> None:
    text = "The supplier shall to the extent reasonable use local subcontractors."
    assert words_of(text, "loophole") == ["to the extent reasonable"]
    text = "Leverantören ska i den utsträckning det är rimligt anlita lokala underleverantörer."
    assert words_of(text, "loophole") == ["i den utsträckning det är rimligt"]


def test_a_vague_word_before_a_property_is_an_unmeasured_property() -> None:
    assert rules_of("Golvmaterialet ska ha god slitstyrka.") == {"vague", "unmeasurable"}
    assert rules_of("The rooms shall have comfortable humidity levels.") == {
        "vague",
        "unmeasurable",
    }
    assert "unmeasurable" not in rules_of("Golvmaterialet ska ha god kännedom om lokalerna.")


def test_a_time_promised_without_a_value_is_unmeasurable() -> None:
    assert "unmeasurable" in rules_of("Leverantören ska åtgärda fel skyndsamt.")
    assert "unmeasurable" in rules_of("Repairs shall be carried out promptly.")
    assert not check_text("Leverantören ska åtgärda fel skyndsamt, senast inom 4 timmar.")
    # Who reported the fault asks for no report with a measure in it.
    assert "unmeasurable" in rules_of(
        "The supplier shall act promptly on faults reported by users."
    )


@pytest.mark.parametrize(
    "text",
    [
        # The function only as a purpose, before or after the means.
        "För att tåla 300 besökare per dag ska entréns golv beläggas med gummimatta.",
        "Skärmarna i receptionen ska ha en storlek om 65 tum så att besökarna kan läsa dem.",
        # The thing is to be the component, whatever level it must also reach.
        "Fönstren ska vara treglasfönster med ett U-värde om högst 0,9 W/m²K.",
        # A function word in the subject names no level for the means.
        "Serverrummet ska värmas med golvvärme.",
    ],
)
def test_a_means_with_its_function_only_as_a_purpose_or_subject_is_a_solution(text: str) -> None:
    assert "solution" in rules_of(text)


def test_a_species_by_its_scientific_name_is_no_brand() -> None:
    assert not check_text(
        "Rabatterna ska vid varje tillsyn vara fria från Impatiens glandulifera och Lupinus "
        "polyphyllus."
    )
    assert "brand" in rules_of("Meals shall be served on Duralex plates.")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "Städning ska ske av bl.a. kök och hallar enligt den frekvens som anges i bilaga 2.",
            "open-ended",
        ),
        ("The service covers, without limitation, moving and storage.", "open-ended"),
        ("Leverantören ska bistå i den utsträckning parterna finner rimlig.", "loophole"),
        ("The supplier shall assist to the extent the parties consider reasonable.", "loophole"),
        ("Leverantören ska vara en av marknadens främsta aktörer inom städning.", "superlative"),
        (
            "The supplier shall be one of the industry's foremost providers of alarms.",
            "superlative",
        ),
        (
            "Konsulten ska inom fyra veckor leverera en nulägesanalys, en riskanalys och en "
            "tidplan.",
            "compound",
        ),
    ],
)
def test_the_sixteenth_round_finds(text: str, rule: str) -> None:
    assert rule in rules_of(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Bänkarna ska vara av typ Martela 300 eller motsvarande från samma tillverkare.", "brand"),
        (
            "Chairs shall be of type Kinnarps 8000 or a comparable model from the same "
            "manufacturer.",
            "brand",
        ),
        ("Projektorn ska kunna visa bild på salens smartboard.", "brand"),
        ("Users shall be able to save the list to excel without losing the columns.", "brand"),
        ("Tjänsten ska, om inte parterna skriftligen avtalar annat, pågå i två år.", "loophole"),
        ("Det får aldrig hända att ett larm förblir obesvarat.", "superlative"),
        ("The network shall offer 100 % indoor coverage in every ward.", "superlative"),
        ("The portal shall link to the booking system and other relevant systems.", "open-ended"),
        (
            "The service shall encrypt all backups, keep them for 90 days and allow restore by "
            "the authority.",
            "compound",
        ),
        ("Card numbers shall be stored with a symmetric key held by the supplier.", "solution"),
    ],
)
def test_the_seventeenth_round_finds(text: str, rule: str) -> None:
    assert rule in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        # A list after a colon spells out the item before it.
        "Tjänsten ska omfatta hämtning av tre fraktioner: glas, metall och papper.",
        # A verb that is also the start of a name of operations.
        "The system shall log all create, update and delete operations for at least 12 months.",
        # A participle of the subject asks for no report.
        "Users shall be able to excel in their work with at most 2 hours of training.",
    ],
)
def test_the_seventeenth_round_leaves_alone(text: str) -> None:
    assert not {"compound", "brand"} & rules_of(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("The gym shall have a Pergo-type laminate floor.", "brand"),
        ("Brukaren ska få en permobil inom tre dagar.", "brand"),
        ("Leverantören ska, i den omfattning det är skäligt, erbjuda praktikplatser.", "loophole"),
        (
            "The contract covers boilers, pumps, radiators and other technical equipment in the "
            "building.",
            "open-ended",
        ),
        (
            "The report shall give key figures, among others sick leave, overtime and staff "
            "turnover.",
            "open-ended",
        ),
        ("Systemet ska byggas så att dataförlust aldrig uppstår.", "superlative"),
        ("Flytten ska ske helt utan störningar för eleverna.", "superlative"),
        ("The archive shall be built so that no record can ever be lost.", "superlative"),
        ("Cycle paths shall be kept free of snow and ice at all times.", "superlative"),
        (
            "Vid larm ska väktaren ringa larmcentralen, kontrollera entréerna och, om dörren är "
            "bruten, stanna kvar tills polisen kommer.",
            "compound",
        ),
        (
            "The interpreter shall hold an authorisation from Kammarkollegiet and have at least "
            "three years of experience.",
            "compound",
        ),
        ("Korridorerna ska belysas med lysrörsarmaturer som ger minst 200 lux.", "solution"),
        ("Fönstren i skolan ska ha treglasrutor.", "solution"),
        ("Staff shall sign in by means of fingerprint scanners.", "solution"),
    ],
)
def test_the_eighteenth_round_finds(text: str, rule: str) -> None:
    assert rule in rules_of(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Skåpen ska vara av typen Lintex Mood eller ha motsvarande färg.", "brand"),
        ("Fees shall be payable with swish directly in the app.", "brand"),
        ("Systemet ska utbyta journaldata enligt HL7 FHIR R4.", "standard-equivalent"),
        ("The provider shall hold a Cyber Essentials certificate.", "standard-equivalent"),
        ("Vid halka ska trapporna normalt vara sandade inom två timmar.", "loophole"),
        (
            "Systemet ska ta emot larm från brandlarm, inbrottslarm och andra typer av larm.",
            "open-ended",
        ),
        ("Konsulten ska granska ritningar, beskrivningar och övriga handlingar.", "open-ended"),
        (
            "Leverantören ska lämna över loggar och annat material som beställaren kan behöva.",
            "open-ended",
        ),
        ("Arkivet ska vara fullständigt skyddat mot obehörig åtkomst.", "superlative"),
        ("The website shall be fully accessible to all visitors.", "superlative"),
        (
            "Vaktmästaren ska bära arbetskläder och ha genomgått en brandutbildning om minst två "
            "timmar.",
            "compound",
        ),
        (
            "The cleaner shall sign in when the shift starts, record the rooms cleaned and report "
            "damage within 24 hours.",
            "compound",
        ),
        (
            "Trapphusen ska tändas till 150 lux av rörelsevakter när någon går i trappan.",
            "solution",
        ),
        ("The booking service shall be implemented as a native app for each platform.", "solution"),
        ("Hand drying shall be provided by paper towel dispensers.", "solution"),
    ],
)
def test_the_nineteenth_round_finds(text: str, rule: str) -> None:
    assert rule in rules_of(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "Avbrott i kommunikationen mellan larmet och larmcentralen får aldrig förekomma.",
            "superlative",
        ),
        ("E-tjänsten ska vara fullt tillgänglig för alla invånare.", "superlative"),
        ("Alla fel som anmäls ska åtgärdas omedelbart.", "superlative"),
        ("All faults reported by users shall be fixed immediately.", "superlative"),
        ("Ersättningsbilen ska vara av motsvarande standard som den bil som lagas.", "vague"),
        ("Loan laptops shall be of a comparable standard to the ones in repair.", "vague"),
        ("Städningen omfattar kök och övriga utrymmen som kan förekomma.", "open-ended"),
        (
            "The lift shall, unless prevented by circumstances, be repaired within 4 hours.",
            "loophole",
        ),
        ("The boiler shall be energy efficient.", "unmeasurable"),
        ("Staff shall edit the minutes in google docs.", "brand"),
        ("Inloggning ska ske med engångskoder via sms.", "solution"),
        ("Ventilationen ska utgöras av FTX-aggregat som ger minst 7 l/s per person.", "solution"),
        (
            "Tolken ska ha minst tre års erfarenhet och underteckna en sekretessförbindelse.",
            "compound",
        ),
        (
            "Under avtalstiden ska systemet, som används av 300 handläggare i 9 enheter, ha hög "
            "tillgänglighet.",
            "unmeasurable",
        ),
    ],
)
def test_the_twentieth_round_finds(text: str, rule: str) -> None:
    assert rule in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "The e-service shall conform to EN 301 549 V3.2.1 or equivalent, including WCAG 2.1 "
        "level AA for web content.",
        "Larmet ska fortsätta att fungera och kunna larma i minst 48 timmar vid strömavbrott.",
    ],
)
def test_the_twentieth_round_leaves_alone(text: str) -> None:
    assert not check_text(text)


def test_a_participle_with_its_particle_is_a_word_of_the_language() -> None:
    assert "brand" not in rules_of(
        "Ifyllda uppgifter ska sparas så att en påbörjad ansökan kan återupptas inom 30 dagar."
    )


def test_a_means_an_authority_decided_is_no_solution() -> None:
    assert "solution" not in rules_of(
        "Fasadens fönster ska utföras i kärnvirke av furu enligt länsstyrelsens beslut om "
        "tillstånd."
    )


def test_the_eighteenth_round_leaves_alone_a_style() -> None:
    text = "The office shall have a Scandinavian-style interior."
    assert not {"compound", "brand"} & rules_of(text)


def test_accessibility_to_a_standard_is_no_vague_word() -> None:
    assert not check_text(
        "Webbplatsen ska vara tillgänglig för användare med funktionsnedsättning enligt "
        "EN 301 549 eller likvärdigt."
    )
    assert not check_text(
        "The portal shall be accessible to people with disabilities, level AA of WCAG 2.1 or "
        "equivalent."
    )


def test_softeners_with_a_word_between_are_loopholes() -> None:
    assert words_of("Maten ska i görligaste mån lagas från grunden.", "loophole") == [
        "i görligaste mån"
    ]
    text = "Byggavfallet ska sorteras i den mån det är praktiskt genomförbart."
    assert words_of(text, "loophole") == ["i den mån det är praktiskt genomförbart"]


def test_a_list_that_ends_in_others_is_open() -> None:
    text = "The vehicle shall have a reversing camera, parking sensors and others."
    assert words_of(text, "open-ended") == ["and others"]
    text = "The course shall cover data protection, information security and much more."
    assert words_of(text, "open-ended") == ["and much more"]
    assert "open-ended" not in rules_of("The supplier shall inform residents and others who visit.")


def test_as_little_of_a_long_noun_as_possible_is_a_superlative() -> None:
    text = "Cleaning shall have as little environmental impact as possible."
    assert rules_of(text) == {"superlative"}


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Parkeringen ska beläggas med asfalt.", "materials"),
        ("Soprummet ska förses med en komprimator.", "waste"),
        ("Offices shall be cooled by chilled beams.", "heating"),
        ("The gym shall be lit with LED panels.", "lighting"),
        ("Datorerna ska ha en processor med minst åtta kärnor.", "computers"),
    ],
)
def test_new_components_are_possible_solutions_with_their_area(text: str, area: str) -> None:
    findings = [finding for finding in check_text(text) if finding.rule == "solution"]
    assert len(findings) == 1 and findings[0].severity == "warning"
    assert rules_of(text) == {"solution"}
    # The suggestion names the function of the component's area, in the current locale.
    function = solution_area(area).function  # type: ignore[union-attr]
    assert function.sv in findings[0].suggestion or function.en in findings[0].suggestion


def test_a_component_with_its_function_is_no_solution() -> None:
    assert not check_text("Soprummet ska rymma minst 8 m³ avfall mellan två tömningar.")
    assert not check_text("The gym lighting shall give at least 500 lux on the floor.")


def test_a_subject_that_answers_for_several_things_is_compound() -> None:
    text = "Leverantören svarar för installation, drift och support av trygghetslarmen."
    assert "compound" in rules_of(text)
    assert "compound" not in rules_of("Leverantören svarar för sina egna kostnader.")


def test_a_tool_named_after_a_preposition_at_the_end_of_a_clause_is_a_brand() -> None:
    assert words_of("Meetings shall be recorded in zoom.", "brand") == ["zoom"]
    assert not check_text("The camera shall zoom in on the entrance.")
    assert not check_text("Staff shall meet in person once a month.")
    assert not check_text("System uptime shall be at least 99.5 percent per month.")


# --- offsets, texts of several sentences, languages -----------------------------------------


def test_offsets_point_at_the_smelly_words_in_a_text_of_several_sentences() -> None:
    text = (
        "Leverantören ska leverera datorer senast kl. 16.00 varje vardag. "
        "Systemet ska vara användarvänligt.\nSupport ska t.ex. ges på svenska, "
        "i möjligaste mån även på engelska. Tjänsten ska uppfylla SS-EN ISO 9001."
    )
    found = {(f.rule, text[f.start : f.end]) for f in check_text(text)}
    assert found == {
        ("vague", "användarvänligt"),
        ("loophole", "i möjligaste mån"),
        ("standard-equivalent", "SS-EN ISO 9001"),
    }


def test_findings_are_ordered_by_position() -> None:
    findings = check_text("Fordonen ska vara miljövänliga. Bilarna ska vara av märket Tesla.")
    assert [f.rule for f in findings] == ["vague", "brand"]
    assert findings == sorted(findings, key=lambda finding: finding.start)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Systemet ska vara användarvänligt.", "sv"),
        ("Leverantören ska leverera 20 datorer.", "sv"),
        ("Deliveries to Malmö shall be made on weekdays.", "en"),
        ("The supplier shall deliver Dell laptops.", "en"),
        ("Uptime shall be at least 99.5 percent.", "en"),
        ("", "sv"),
    ],
)
def test_the_language_of_a_requirement_is_detected(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        check_text("Systemet ska vara snabbt.", "fr")


def test_the_rule_ids_are_fixed() -> None:
    assert RULES == (
        "brand",
        "standard-equivalent",
        "vague",
        "loophole",
        "open-ended",
        "superlative",
        "compound",
        "solution",
        "unmeasurable",
        "turnover",
    )


# --- messages -------------------------------------------------------------------------------


@pytest.fixture
def swedish_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    real = i18n.translations("sv")
    english = i18n.translations("en")
    if all(real.gettext(message) != message for message in SWEDISH):
        return
    catalog = Catalog(locale="sv")
    for message, translation in SWEDISH.items():
        catalog.add(message, translation, flags=("python-format",))
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    borrowed = Translations(fp=buffer)
    borrowed.add_fallback(real)
    monkeypatch.setattr(
        i18n, "translations", lambda locale: borrowed if locale == "sv" else english
    )


def test_messages_follow_the_locale(swedish_catalogue: None) -> None:
    text = "Leverantören ska leverera bärbara datorer av märket Lenovo."
    with use_locale("en"):
        (english,) = check_text(text)
    with use_locale("sv"):
        (swedish,) = check_text(text)
    assert "Lenovo" in english.message and "or equivalent" in english.message
    assert "Lenovo" in swedish.message and "eller likvärdigt" in swedish.message
    assert swedish.suggestion != english.suggestion
    assert (swedish.rule, swedish.start, swedish.end) == (english.rule, english.start, english.end)


# One requirement per rule, with the words of the rewrite pattern its suggestion must propose.
REWRITES = [
    ("Systemet ska vara användarvänligt.", "vague", "mätt som", "measured as"),
    (
        "Plattformen ska byggas i SharePoint.",
        "brand",
        "SharePoint eller likvärdigt",
        "SharePoint or equivalent",
    ),
    (
        "Tjänsten ska uppfylla kraven i SS-EN 301 549.",
        "standard-equivalent",
        "SS-EN 301 549 eller likvärdigt",
        "SS-EN 301 549 or equivalent",
    ),
    (
        "Svarstiden ska om möjligt understiga 2 sekunder.",
        "loophole",
        "när [villkor]",
        "when [condition]",
    ),
    (
        "Lösningen ska stödja import av adresser, telefonnummer, e-post m.m.",
        "open-ended",
        "bilaga [X]",
        "annex [X]",
    ),
    (
        "Fordonet ska ha bästa möjliga bränsleekonomi.",
        "superlative",
        "minst / högst",
        "at least / at most",
    ),
    (
        "Leverantören ska garantera systemets tillgänglighet.",
        "unmeasurable",
        "mätt som",
        "measured as",
    ),
    ("Tjänsten ska vara en app.", "solution", "Ange funktionen", "State the function"),
    ("Fastigheten ska värmas med bergvärmepump.", "solution", "mätt som °C", "measured as °C"),
    (
        "The supplier shall deliver Dell laptops.",
        "brand",
        "Dell eller likvärdigt",
        "Dell or equivalent",
    ),
    (
        "The system shall be user-friendly.",
        "vague",
        "inom / minst / högst",
        "within / at least / at most",
    ),
]


@pytest.mark.parametrize(("text", "rule", "swedish", "english"), REWRITES)
def test_every_finding_proposes_a_rewrite_pattern_in_the_users_language(
    text: str, rule: str, swedish: str, english: str
) -> None:
    with use_locale("sv"):
        (in_swedish,) = [finding for finding in check_text(text) if finding.rule == rule]
    with use_locale("en"):
        (in_english,) = [finding for finding in check_text(text) if finding.rule == rule]
    assert swedish in in_swedish.suggestion and "”" in in_swedish.suggestion
    assert english in in_english.suggestion and "“" in in_english.suggestion


def test_a_compound_finding_writes_out_the_requirements_to_split_it_into() -> None:
    text = (
        "Leverantören ska leverera datorerna, installera operativsystemet och märka varje enhet "
        "med inventarienummer."
    )
    with use_locale("sv"):
        (finding,) = check_text(text)
    assert finding.rule == "compound"
    assert "svara ja eller nej" in finding.suggestion
    for requirement in (
        "”Leverantören ska leverera datorerna”",
        "”Leverantören ska installera operativsystemet”",
        "”Leverantören ska märka varje enhet med inventarienummer”",
    ):
        assert requirement in finding.suggestion
    with use_locale("en"):
        (two_clauses,) = check_text(
            "The supplier shall train the staff and the system shall export data to open formats."
        )
    assert "“The supplier shall train the staff”" in two_clauses.suggestion
    assert "“The system shall export data to open formats”" in two_clauses.suggestion


def test_every_checker_message_has_a_swedish_text_in_the_report() -> None:
    keywords = {**DEFAULT_KEYWORDS, "gettext_": None}
    # Every module of the checker; the quality report has its own texts.
    found = {
        message
        for file, _line, message, _comments, _context in extract_from_dir(
            str(PROJECT_ROOT / "app" / "quality"), [("**.py", "python")], keywords=keywords
        )
        if Path(file).name != "report.py"
    }
    swedish = i18n.translations("sv")
    assert found, "no checker message found"
    untranslated = {message for message in found if swedish.gettext(message) == message}
    assert untranslated <= set(SWEDISH), untranslated


# --- turnover -------------------------------------------------------------------------------


def test_a_turnover_requirement_above_twice_the_contract_value_is_found() -> None:
    answers = {
        "turnover_requirement_sek": 17_000_000,
        "estimated_value": 8_000_000,
        "contract_length_months": 48,
    }
    with use_locale("en"):
        finding = check_turnover(answers)
    assert isinstance(finding, Finding)
    assert (finding.rule, finding.severity, finding.reference) == (
        "turnover",
        "warning",
        "LOU 14 kap.",
    )
    assert "16,000,000" in finding.suggestion  # twice the estimated value of 8 000 000
    assert "8,000,000" in finding.message


def test_a_proportionate_or_missing_turnover_requirement_gives_no_finding() -> None:
    # Twice the contract's whole value is the cap (art. 58.3), not twice a year's share of it.
    proportionate = {
        "turnover_requirement_sek": 10_000_000,
        "estimated_value": 8_000_000,
        "contract_length_months": 48,
    }
    assert check_turnover(proportionate) is None
    assert check_turnover({"estimated_value": 8_000_000}) is None
    assert check_turnover({}) is None


def test_the_cap_is_exactly_twice_the_estimated_value() -> None:
    answers = {"estimated_value": 1_000_000, "contract_length_months": 6}
    assert check_turnover({**answers, "turnover_requirement_sek": 2_000_000}) is None
    assert check_turnover({**answers, "turnover_requirement_sek": 2_000_001}) is not None


# --- rules as data --------------------------------------------------------------------------


def test_a_broken_rules_file_names_its_file_and_line(tmp_path: Path) -> None:
    shutil.copytree(WORDING_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "sv.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines) if "'om\\s+" in text)
    lines[line] = "    - 'om(\\s+möjligt'"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_wording(tmp_path)
    assert error.value.path == path and error.value.line == line + 1
    assert "regular expression" in str(error.value)


def test_the_rules_files_load() -> None:
    assert set(load_wording()) == {"sv", "en"}


# --- the lint command -----------------------------------------------------------------------


def run_lint(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "lint", *args],
        cwd=PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "KRAVLOTSEN_ENV": "test"},
        timeout=120,
    )


def test_lint_json_prints_one_object_per_input_line_in_order() -> None:
    lines = [
        "Systemet ska vara användarvänligt.",
        "",
        "The supplier shall deliver Dell laptops or equivalent.",
        "The platform shall be robust.",
    ]
    result = run_lint("--format", "json", "-", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["text"] for record in records] == lines
    assert [record["lang"] for record in records] == ["sv", "sv", "en", "en"]
    assert records[1]["findings"] == [] and records[2]["findings"] == []
    (vague,) = records[0]["findings"]
    assert set(vague) == {
        "rule",
        "start",
        "end",
        "message",
        "suggestion",
        "severity",
        "reference",
        "also",
    }
    assert (vague["rule"], vague["start"], vague["end"]) == ("vague", 18, 33)
    assert (vague["severity"], vague["reference"]) == ("warning", None)


def test_lint_reads_a_file_and_writes_text_with_english_messages(tmp_path: Path) -> None:
    source = tmp_path / "krav.txt"
    source.write_text("Plattformen ska byggas i SharePoint.\n", encoding="utf-8")
    result = run_lint("--ui-lang", "en", "--lang", "sv", str(source))
    assert result.returncode == 0, result.stderr
    first, finding, suggestion = result.stdout.splitlines()
    assert first == "Plattformen ska byggas i SharePoint."
    assert finding.startswith("  blocker brand 25-35:") and "LOU 9 kap. 6 §" in finding
    assert "or equivalent" in suggestion


@pytest.mark.parametrize(
    "args",
    [("--lang", "fr", "-"), ("--format", "xml", "-"), ("--ui-lang", "de", "-"), ("no-such.txt",)],
)
def test_lint_exits_2_on_bad_usage(args: tuple[str, ...]) -> None:
    assert run_lint(*args).returncode == 2


# --- linear time ----------------------------------------------------------------------------


@pytest.mark.no_database
def test_every_rule_finishes_a_megabyte_of_adversarial_text() -> None:
    """Each rule, in both languages, on 1 MB of one letter repeated (one endless word) and on
    1 MB of mixed requirement text without a sentence end (one endless sentence). Linear rules
    take about 20 s for all of it; a pattern that backtracks quadratically (the trademark
    pattern took 5.7 s on 16,000 characters) would take days on a megabyte. So the limit of
    three minutes cannot be missed by a slow machine, only by a rule that is not linear, and
    the last line printed names it. Time is not asserted beyond that: `make bench` measures
    speed, on every input."""
    command = [
        sys.executable,
        "-m",
        "tests.benchmarks.quality",
        "--linear",
        "1000000",
        "'a'",
        "mixed text, one sentence",
    ]
    try:
        result = subprocess.run(
            command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180
        )
    except subprocess.TimeoutExpired as timeout:
        output = timeout.stdout.decode() if isinstance(timeout.stdout, bytes) else timeout.stdout
        last = (output or "").strip().splitlines()[-1:] or ["(nothing)"]
        pytest.fail(f"not linear: still running after three minutes at {last[0]}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "done"


# --- issue 14: the generalised rules --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Bare verbs share the object of the verb after them; "samt" adds a second demand.
        "Leverantören ska installera, konfigurera och underhålla skrivarna samt utbilda staben.",
        "The supplier shall deliver, install and configure the screens, and train the caretakers.",
        # A scope verb with verb phrases after its list.
        "Städföretaget ska tillhandahålla material, ha rutiner för avvikelser och genomföra "
        "egenkontroller.",
        # Three verb phrases, a state among them.
        "Fordonen ska levereras med vinterdäck, registreras i kommunens namn och vara besiktigade.",
        # A service on what was delivered.
        "The supplier shall install the chargers and maintain them for the contract period.",
        "Leverantören ska installera larmen, samt även utbilda personalen i hur de används.",
        # The subject after the modal, after an adverbial that opens the clause.
        "Efter varje besök ska hemtjänstpersonalen dokumentera insatsen, låsa dörren och lämna "
        "tillbaka nyckeln.",
        # A short adverbial before the first verb; a that-clause as the second verb's object.
        "Entreprenören ska under garantitiden åtgärda fel och säkerställa att aggregatet startar.",
        # Documents to produce, each to check.
        "Konsulten ska ta fram en projektplan, en riskanalys och en kommunikationsplan.",
        # What the subject is, and what it does, added by "samt".
        "Entreprenören ska vara certifierad enligt ISO 9001 samt rapportera avvikelser varje "
        "månad.",
        # A state with a range, then a passive with what comes with the thing.
        "Hyllorna ska vara justerbara mellan 300 och 1800 mm och levereras med "
        "monteringsanvisning.",
    ],
)
def test_several_demands_after_one_modal_are_compound(text: str) -> None:
    assert "compound" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Leverantören ska leverera och montera hyllorna i förrådet.",
        "The system shall allow users to search, sort and filter cases by date.",
        "Leverantören ska tillhandahålla skrivare, toner och papper till samtliga enheter.",
        "The energy shall come from renewable sources, counted on the metered delivery.",
        # What one marking shows.
        "Varje dator ska ha en etikett med serienummer, inventarienummer samt leveransdatum.",
        # The two ends of one range.
        "Bänkarna ska vara ställbara i höjd mellan 600 och 800 mm.",
        # Everything handed over in one go.
        "Vid avtalets slut ska leverantören lämna över all dokumentation, alla ritningar och "
        "alla nycklar till beställaren.",
    ],
)
def test_one_demand_with_a_list_or_an_adverbial_is_not_compound(text: str) -> None:
    assert "compound" not in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Leverantören ska hantera felanmälningar inom rimlig tid.",
        "Webbplatsen ska ladda snabbt även på mobilnät.",
        "Livsmedel ska kunna levereras med kort varsel.",
        "The lighting in the sports hall shall be sufficient for matches.",
        "The vehicles shall have a long range on a single charge.",
    ],
)
def test_a_vague_amount_without_a_value_is_unmeasurable(text: str) -> None:
    assert "unmeasurable" in rules_of(text)


def test_a_definition_after_a_vague_word_is_its_measure() -> None:
    text = "Alarm handling shall be fast, meaning that calls are answered within 60 seconds."
    assert not check_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Äldreboendet ska ha en dieselgenerator på 60 kVA.",
        "Personalen ska få bärbara datorer med 16 GB RAM.",
        "The windows shall have triple glazing.",
        "Lokalvården ska utföras med mikrofiberdukar och våtmoppar.",
        "Fordonen ska ha en motor på 150 hk.",
    ],
)
def test_a_component_or_a_design_figure_without_a_function_is_a_possible_solution(
    text: str,
) -> None:
    assert "solution" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Datorerna ska ha minst 16 GB arbetsminne.",
        "Reservkraften ska kunna försörja äldreboendet med el i minst 72 timmar.",
        "Projektorerna ska vara Epson eller likvärdiga.",
        "Leverantören ska återlämna alla passerkort inom fem dagar.",
    ],
)
def test_a_floor_a_function_or_the_thing_bought_is_no_solution(text: str) -> None:
    assert "solution" not in rules_of(text)


def test_a_brand_of_the_lexicon_is_found_in_lower_case_inside_a_compound() -> None:
    assert words_of("Planritningarna ska levereras som revitmodeller.", "brand") == [
        "revitmodeller"
    ]
    assert words_of("Handledningen ska ske över zoom varje vecka.", "brand") == ["zoom"]
    assert "brand" not in rules_of("Kontorsrummen ska förses med takmonterade kylbafflar.")


def test_examples_set_off_by_commas_are_no_open_list() -> None:
    text = "Leverantören ska anmäla avvikelser, t.ex. uteblivna besök, till beställaren inom 24 h."
    assert "open-ended" not in rules_of(text)
    text = "Leverantören ska anmäla avvikelser, t.ex. uteblivna besök och sena ankomster."
    assert "open-ended" in rules_of(text)


def test_a_moving_target_is_a_superlative_but_a_time_window_is_not() -> None:
    assert "superlative" in rules_of("Datorerna ska levereras med den senaste versionen.")
    assert "superlative" in rules_of("The contractor shall use the newest construction methods.")
    assert not check_text("Anbudsgivaren ska ha utfört tre uppdrag under de senaste fem åren.")
    assert not check_text("The report shall be submitted by 1 March at the latest.")


def test_two_that_clauses_after_one_modal_are_compound_but_two_infinitives_are_not() -> None:
    text = "Leverantören ska ansvara för att larmen fungerar samt att personalen är utbildad."
    assert "compound" in rules_of(text)
    text = "The supplier shall ensure that staff are trained and that routines are followed."
    assert "compound" in rules_of(text)
    text = "Beställaren ska ha rätt att använda resultaten och att låta en annan förvalta dem."
    assert "compound" not in rules_of(text)


def test_a_word_of_length_is_unmeasured_only_before_a_time_or_a_range() -> None:
    assert "unmeasurable" in rules_of("Leveranserna ska ske med kort framförhållning.")
    assert not check_text("Anbudsgivaren ska bifoga en kort beskrivning av företaget.")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Bänkarna ska vara tillverkade av pulverlackerat stål.", ["pulverlackerat stål"]),
        (
            "Luckorna ska ha elektriska öppnings- och stängningsmotorer.",
            ["elektriska öppnings- och stängningsmotorer"],
        ),
        ("Kylarna ska vara utrustade med en kolvkompressor.", ["kolvkompressor"]),
        ("The scrubber dryers shall use lithium batteries.", ["lithium batteries"]),
        ("The heat pumps shall be equipped with a scroll compressor.", ["scroll compressor"]),
    ],
)
def test_a_demand_of_what_a_thing_has_or_is_made_of_names_a_possible_solution(
    text: str, words: list[str]
) -> None:
    assert words_of(text, "solution") == words


@pytest.mark.parametrize(
    "text",
    [
        # No concrete thing after the verb: the need itself, a person, a part of a service.
        "Fordonen ska vara utrustade med alkolås.",
        "Leverantören ska ha kollektivavtal.",
        "Utbildningen ska bestå av tre moment.",
        "The training shall consist of three modules.",
        "The supplier shall use staff trained in first aid.",
        # A purpose or a level given: the function is named.
        "Datorerna ska ha en kamera för att kunna delta i videomöten.",
        "The laptops shall have a camera so that staff can join video meetings.",
        "Skrivborden ska ha motorer som klarar 120 kg.",
        # A word that only holds a component noun inside it is no component.
        "Leverantören ska använda plastfria förpackningar där det finns.",
    ],
)
def test_a_demand_without_a_concrete_thing_or_with_its_function_is_no_solution(text: str) -> None:
    assert "solution" not in rules_of(text)


def test_a_function_named_only_by_the_subject_is_the_thing_bought() -> None:
    text = "Reservkraften ska säkras med ett dieseldrivet elverk."
    assert "solution" in rules_of(text)
    assert "solution" not in rules_of("Reservkraften ska säkras med ett elverk i 72 timmar.")


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Skrivborden ska levereras med vevstativ.", "furniture"),
        ("Kontoret ska få en multifunktionsskrivare.", "office"),
        ("The bins shall be fitted with solar compactors.", "waste"),
        ("Hemtjänsten ska förses med gps-klockor till brukarna.", "monitoring"),
    ],
)
def test_the_grown_areas_name_their_components(text: str, area: str) -> None:
    assert "solution" in rules_of(text), text


@pytest.mark.parametrize(
    "text",
    [
        # A short material inside another word is no material: "full", "arbetskläder".
        "Lägsta pris får full poäng i utvärderingen.",
        "Personalen ska bära arbetskläder med företagets namn.",
        "Leverantören ska ha tät kontakt med uppdragsgivaren.",
    ],
)
def test_a_component_inside_another_word_is_no_component(text: str) -> None:
    assert "solution" not in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        # An English verb that is a noun too, after a joiner, with a noun phrase of its own.
        "The system shall archive closed cases, log each login and export statistics to Excel.",
        "The service desk shall record each call and escalate urgent faults to the duty officer.",
        # A schedule on a weekday and one after "once"; "and also" adds a demand on "them".
        "The supplier shall empty the bins every Friday and wash them once a quarter.",
        "The supplier shall train the teachers and also support them during the first term.",
    ],
)
def test_more_english_lists_of_demands_are_compound(text: str) -> None:
    assert "compound" in rules_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Deliveries shall include paper, toner and print cartridges.",
        "The supplier shall measure food waste and plate waste every week.",
        "The supplier shall collect the bins every Monday and empty them.",
    ],
)
def test_a_noun_list_or_one_object_is_no_compound(text: str) -> None:
    assert "compound" not in rules_of(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Avfallet ska sorteras så långt det är tekniskt möjligt.", "loophole"),
        ("Leverantören ska såvitt möjligt samordna leveranserna.", "loophole"),
        ("Skåpen ska rymma pärmar, lådor och annat liknande material.", "open-ended"),
        ("Vaktmästaren ska utföra övriga sysslor som rektorn begär.", "open-ended"),
        ("Leverantören ska sköta andra förekommande uppgifter på förskolan.", "open-ended"),
        ("The cleaner shall carry out any other duties requested by the caretaker.", "open-ended"),
        ("The contractor shall do all such further work as may be required.", "open-ended"),
        ("Matsalen ska möbleras med Kinnarpsbord i ek.", "brand"),
        ("The walls shall be clad with Trespa panels.", "brand"),
        # The supplier's judgement of anything, or its own means, decides.
        (
            "Fel ska avhjälpas inom 2 dagar, om inte entreprenören finner att felet kan vänta.",
            "loophole",
        ),
        (
            "Loggar ska sparas i 12 månader förutsatt att utförarens plattform tillåter det.",
            "loophole",
        ),
        (
            "Faults shall be fixed within 2 days unless the contractor considers that they can "
            "wait.",
            "loophole",
        ),
        (
            "Logs shall be kept for 12 months provided that the provider's platform allows it.",
            "loophole",
        ),
        ("Uppdraget omfattar flytt, montering och andra närliggande uppgifter.", "open-ended"),
        ("The service covers moving, assembly and other associated work.", "open-ended"),
        ("Lösningen ska ge totalt skydd mot dataintrång.", "superlative"),
        ("The platform shall offer complete protection against intrusion.", "superlative"),
        ("Lekplatsen ska ha en åldersanpassad utformning.", "vague"),
        ("Webbplatsen ska vara tillgänglig för användare med funktionsnedsättning.", "vague"),
        ("The portal shall be accessible to people with disabilities.", "vague"),
    ],
)
def test_more_loopholes_open_lists_and_brands_are_found(text: str, rule: str) -> None:
    assert rule in rules_of(text)


def test_examples_set_off_before_a_clause_of_their_own_are_no_open_list() -> None:
    text = (
        "Fel ska kunna anmälas via två kanaler, t.ex. telefon och e-post, vilket följs upp årligen."
    )
    assert "open-ended" not in rules_of(text)


def test_a_vague_word_left_unmeasured_is_one_finding_for_both_rules() -> None:
    """One box per word: "snabb" is vague and an unmeasured level; the officer sees the vague
    word's message (which asks for a value and a unit), and both rule ids are kept."""
    findings = check_text("Supporten ska ge snabb återkoppling på felanmälningar.")
    (finding,) = [finding for finding in findings if finding.start == 17]
    assert (finding.rule, finding.also) == ("vague", ("unmeasurable",))
    assert finding.rules == ("vague", "unmeasurable")
    # A performance word of its own stays a finding of its own.
    text = "The server environment shall have sufficient capacity for the users."
    assert [(f.rule, f.also, text[f.start : f.end]) for f in check_text(text)] == [
        ("vague", ("unmeasurable",), "sufficient"),
        ("unmeasurable", (), "capacity"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Tvättleverantören ska hämta tvätten varje måndag och kläderna levereras tillbaka inom "
        "tre dagar.",
        "Bilarna ska ha dubbdäck monterade vid leverans och levereras med full tank.",
    ],
)
def test_a_second_clause_with_its_own_subject_or_voice_is_compound(text: str) -> None:
    assert "compound" in rules_of(text, "sv")


@pytest.mark.parametrize(
    "text",
    [
        "Leverantören ska se till att papper och kartong tas om hand.",
        "Tjänsten ska vara snabb, det vill säga visa svar inom 2 sekunder.",
        "Supporten ska, bl.a. vid större störningar, kunna nås per telefon.",
    ],
)
def test_a_clause_inside_the_first_demand_or_an_aside_is_no_second_demand(text: str) -> None:
    assert rules_of(text, "sv") & {"compound", "open-ended"} == set()


# --- superlatives, loopholes and vague words in general forms (sixth development set) --------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # Any word's superlative form, by its lemma, not only the listed adjectives'.
        ("Projektledaren ska vara den skickligaste i sin bransch.", "skickligaste"),
        ("The furniture shall show the finest craftsmanship.", "finest"),
        ("Entreprenören ska vara ledande inom fossilfritt byggande.", "vara ledande"),
        ("Städningen ska hålla en nivå i toppklass.", "i toppklass"),
        ("The supplier shall be a leading provider of school meals.", "a leading provider"),
        ("The helpdesk shall provide unrivalled support.", "unrivalled"),
        ("Uppdraget kräver den mest kvalificerade konsulten.", "mest kvalificerade"),
        ("Leverantören ska erbjuda marknadens lägsta pris på papper.", "marknadens lägsta"),
    ],
)
def test_superlatives_of_any_word_and_praise_are_superlatives(text: str, word: str) -> None:
    assert word in words_of(text, "superlative")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Tolktjänsten ska alltid vara tillgänglig.", "alltid vara tillgänglig"),
        ("Driftstopp i journalsystemet får aldrig förekomma.", "Driftstopp"),
        ("Tvätten ska levereras felfri.", "felfri"),
        ("Leverantören ska garantera noll fel i utbetalningarna.", "noll fel"),
        ("The booking software shall never crash.", "never crash"),
        ("The emergency service shall guarantee zero downtime.", "zero downtime"),
        ("The software shall guarantee 100% accuracy.", "100% accuracy"),
        ("Maskinerna ska vara helt tysta.", "helt tysta"),
    ],
)
def test_an_absolute_promise_is_a_superlative_explained_as_an_absolute(
    text: str, word: str
) -> None:
    with use_locale("en"):
        findings = [f for f in check_text(text) if f.rule == "superlative"]
    assert findings and any(word in text[f.start : f.end] for f in findings), findings
    assert all("promises an absolute" in f.message for f in findings)
    assert all("level that is good enough" in f.suggestion for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        # A plain order with "alltid" or "never" is a clear requirement.
        "Hemtjänstpersonalen ska alltid bära synlig namnbricka vid besök i hemmet.",
        "Personalen får aldrig lämna barnen utan tillsyn.",
        "The contractor shall never leave cleaning chemicals unattended.",
        "The supplier shall always inform the authority before changing staff.",
        # A value bounds the absolute.
        "Systemet ska alltid vara tillgängligt minst 99,9 procent av tiden per månad.",
        # A bound or a rating, not the best.
        "The lowest temperature in the rooms shall not fall below 20 °C.",
        "Den högsta tillåtna ljudnivån i klassrummen är 35 dB(A).",
        "The maximum time to repair is 8 hours from the fault report.",
        "Tenderers shall state their fastest guaranteed delivery time.",
        "The lowest evaluated price will be used to award the contract.",
        "Personal i ledande ställning ska ha genomgått utbildning i arbetsmiljö.",
        "Leverantören ska leverera möblerna i felfritt skick.",
        "The nearest hospital shall be reachable within 30 minutes.",
    ],
)
def test_orders_bounds_and_nearest_things_are_no_superlatives(text: str) -> None:
    assert "superlative" not in rules_of(text)


@pytest.mark.parametrize(
    ("text", "loophole"),
    [
        (
            "Reparationer ska, såvida inte annat har överenskommits, utföras inom fem dagar.",
            "såvida inte annat har överenskommits",
        ),
        ("Leverantören ska ordna ersättare om inget annat avtalats.", "om inget annat avtalats"),
        ("Fakturering ska som huvudregel ske månadsvis.", "som huvudregel"),
        ("Konsulten ska efter överenskommelse delta i byggmötena.", "efter överenskommelse"),
        ("Avfallet ska sorteras enligt leverantörens bedömning.", "enligt leverantörens bedömning"),
        (
            "Urgent orders shall be delivered the same day, subject to availability.",
            "subject to availability",
        ),
        (
            "The contractor shall, where circumstances permit, work at night.",
            "where circumstances permit",
        ),
        ("The vendor shall, insofar as possible, keep spare parts.", "insofar as possible"),
        ("Staff shall wear the agreed uniform unless agreed otherwise.", "unless agreed otherwise"),
        (
            "Courses shall be held on site where this is deemed appropriate.",
            "where this is deemed appropriate",
        ),
    ],
)
def test_softeners_in_their_swedish_and_english_variants_are_loopholes(
    text: str, loophole: str
) -> None:
    assert words_of(text, "loophole") == [loophole]
    # The loophole's words are neither vague nor an unmeasured performance of their own.
    assert rules_of(text) <= {"loophole"}


@pytest.mark.parametrize(
    "text",
    [
        "Normalt slitage på möblerna omfattas inte av garantin.",
        "Vid behov enligt beställarens beslut ska extra städning utföras inom 24 timmar.",
    ],
)
def test_an_adjective_or_the_buyers_need_is_no_loophole(text: str) -> None:
    assert "loophole" not in rules_of(text, "sv")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Lösningen ska vara väl beprövad.", "väl beprövad"),
        ("Metoderna ska vara beprövade.", "beprövade"),
        ("Lekplatsen ska vara barnvänlig.", "barnvänlig"),
        ("Skolmöblerna ska vara stryktåliga.", "stryktåliga"),
        ("Programvaran ska vara lättlärd.", "lättlärd"),
        ("Arbetskläderna ska vara av hög kvalité.", "hög kvalité"),
        ("The case management software shall be fit for purpose.", "fit for purpose"),
        ("The playground shall be child-friendly.", "child-friendly"),
        ("The annual report shall be comprehensive.", "comprehensive"),
    ],
)
def test_vague_words_are_found_by_lemma_compound_head_and_prefix(text: str, word: str) -> None:
    assert words_of(text, "vague") == [word]


@pytest.mark.parametrize(
    "text",
    [
        "The doors shall be waterproof to IPX4.",
        "Leverantören ska använda lättbetong i ytterväggarna enligt konstruktionsritningen.",
        "Bokningstjänsten ska vara användarvänlig, det vill säga minst 9 av 10 testpersoner ska "
        "kunna boka en tid inom 3 minuter utan hjälp.",
    ],
)
def test_a_word_with_a_vague_part_or_a_defined_vague_word_is_not_vague(text: str) -> None:
    assert "vague" not in rules_of(text)


def test_a_list_referred_to_in_full_or_an_example_of_how_is_no_open_list() -> None:
    assert "open-ended" not in rules_of(
        "Kärlen ska tömmas bl.a. vid skolor och äldreboenden enligt turlistan i bilaga 2."
    )
    assert "open-ended" not in rules_of(
        "The fryers shall be adjustable in steps of at most 5 °C, e.g. via a control panel."
    )
    assert words_of("Hjälpmedlen omfattar rollatorer och annat som behövs.", "open-ended") == [
        "och annat som behövs"
    ]


def test_the_lowest_price_is_an_award_term_only_in_a_sentence_about_the_award() -> None:
    assert "superlative" not in rules_of("Det anbud som har lägsta pris kommer att antas.")
    assert "superlative" not in rules_of("The lowest evaluated price will be used to award it.")
    assert "superlative" in rules_of("The service shall be delivered at the lowest cost.")
    assert "superlative" in rules_of("Leverantören ska erbjuda lägsta pris på papper.")


def test_a_standards_number_is_no_value_of_a_vague_word_and_a_named_level_is_measured() -> None:
    text = "Leverantören ska ha ett väl fungerande kvalitetsledningssystem enligt ISO 9001."
    assert rules_of(text) == {"vague", "standard-equivalent"}
    assert not check_text("Avtalet ska följa Upphandlingsmyndighetens kriterier på basnivå.")


@pytest.mark.parametrize(
    "text",
    [
        "Tjänsten ska ges på svenska och vid behov på engelska enligt beställarens beslut.",
        "Vid behov av tolk ska beställaren boka tolken via leverantörens bokningssystem.",
    ],
)
def test_a_need_the_buyer_decides_is_no_loophole(text: str) -> None:
    assert "loophole" not in rules_of(text, "sv")
    assert "loophole" in rules_of("Leverantören ska vid behov ordna tolk.", "sv")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Skyltarna ska vara väl synliga.", "väl synliga"),
        ("The software shall be well documented.", "well documented"),
        ("Möblerna ska tåla hårt slitage.", "tåla hårt slitage"),
        ("The furniture shall withstand heavy use.", "withstand heavy use"),
        (
            "Utbildningen ska vara anpassad efter deltagarnas behov.",
            "anpassad efter deltagarnas behov",
        ),
        (
            "The training shall be tailored to the participants' needs.",
            "tailored to the participants' needs",
        ),
    ],
)
def test_a_quality_stated_by_well_or_by_the_needs_is_vague(text: str, word: str) -> None:
    assert words_of(text, "vague") == [word]
    # "as well as" joins, it does not qualify.
    assert "vague" not in rules_of("The supplier shall deliver chairs as well as desks.")


def test_an_absolute_adverb_before_a_vague_quality_makes_it_a_superlative_too() -> None:
    text = "Toaletterna ska alltid vara rena."
    assert rules_of(text) == {"vague", "superlative"}
    assert words_of(text, "superlative") == ["alltid vara rena"]
    assert "superlative" in rules_of("Leveranser får aldrig utebli.")
    assert "superlative" in rules_of("The supplier shall always meet deadlines.")
    # A plain state or order after "alltid" is no quality.
    assert not check_text("Fordonen ska alltid vara låsta när de lämnas obevakade.")


@pytest.mark.parametrize(
    ("text", "loophole"),
    [
        ("Leverantören ska om detta är möjligt samordna leveranserna.", "om detta är möjligt"),
        (
            "Leverantören ska, där så är tekniskt och ekonomiskt rimligt, använda förnybar el.",
            "där så är tekniskt och ekonomiskt rimligt",
        ),
        ("Arbetet ska om möjligheten finns utföras dagtid.", "om möjligheten finns"),
        ("Maten ska till största delen vara ekologisk.", "till största delen"),
        ("Leverantören ska i normala fall svara inom en timme.", "i normala fall"),
        (
            "Arbetet ska utföras dagtid om inte särskilda skäl föreligger.",
            "om inte särskilda skäl föreligger",
        ),
        ("The supplier is encouraged to use public transport.", "is encouraged to"),
        (
            "The supplier shall, in so far as is reasonable, avoid night work.",
            "in so far as is reasonable",
        ),
    ],
)
def test_softeners_with_other_subjects_and_words_between_are_loopholes(
    text: str, loophole: str
) -> None:
    assert words_of(text, "loophole") == [loophole]


@pytest.mark.parametrize(
    "text",
    [
        "Städningen ska hålla toppklass.",
        "Vi söker en leverantör i yttersta framkant.",
        "Systemet ska vara extremt snabbt.",
        "Avbrott ska undvikas helt.",
        "The hardware shall be top of the range.",
        "Disruption shall be avoided entirely.",
        "The supplier shall provide premium-grade materials.",
    ],
)
def test_top_class_intensifiers_and_total_avoidance_are_superlatives(text: str) -> None:
    assert "superlative" in rules_of(text)


@pytest.mark.parametrize(
    ("text", "loophole"),
    [
        (
            "Arbetet ska ske dagtid om det inte finns särskilda hinder.",
            "om det inte finns särskilda hinder",
        ),
        (
            "Transporter ska ske med elfordon när sådana finns tillgängliga.",
            "när sådana finns tillgängliga",
        ),
        ("Leverantören får avvika från rutinen om det finns goda skäl.", "om det finns goda skäl"),
        (
            "Transport shall use electric vehicles where such are available.",
            "where such are available",
        ),
        ("Staff shall speak English to the extent necessary.", "to the extent necessary"),
    ],
)
def test_conditions_the_supplier_judges_are_loopholes(text: str, loophole: str) -> None:
    assert words_of(text, "loophole") == [loophole]
    assert rules_of(text) == {"loophole"}


def test_no_faults_ever_is_an_absolute_and_an_economic_judgement_a_loophole() -> None:
    assert "superlative" in rules_of("Inga fel får förekomma i leveranserna.")
    assert "superlative" in rules_of("No errors shall occur in the payroll.")
    assert "superlative" in rules_of("The lifts shall be in operation at all times.")
    assert not check_text("Inga fel får kvarstå vid slutbesiktningen enligt AB 04.")
    assert words_of(
        "Leverantören ska om det är ekonomiskt försvarbart byta till eldrift.", "loophole"
    ) == ["om det är ekonomiskt försvarbart"]
    assert words_of(
        "The supplier shall, where economically justifiable, switch to electric drive.",
        "loophole",
    ) == ["where economically justifiable"]


# --- the seventh round: kinds the fifth blind set pointed to ---------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Växeln ska koppla samtliga samtal utan någon som helst väntetid.",
            "Växeln ska koppla samtliga samtal utan väntetid längre än 30 sekunder.",
        ),
        (
            "Uppgraderingen får aldrig leda till driftstopp i skolornas system.",
            "Uppgraderingen får aldrig utföras under skoltid.",
        ),
        (
            "Fönsterputsningen ska ge helt dammfria fönsterbänkar.",
            "Fordonen ska drivas med helt fossilfritt bränsle.",
        ),
        (
            "Golven ska vara helt fria från fläckar efter varje städtillfälle.",
            "Golven ska vara fria från lösa föremål vid städtillfället.",
        ),
        (
            "Servicedesken ska åtgärda alla felanmälningar omedelbart.",
            "Servicedesken ska åtgärda alla felanmälningar inom fyra timmar.",
        ),
        (
            "The platform shall ensure zero transaction losses.",
            "The platform shall ensure that no more than 0.01 % of transactions are lost.",
        ),
        (
            "The switchboard shall connect calls without any delay whatsoever.",
            "The switchboard shall connect calls without any delay longer than 30 seconds.",
        ),
        (
            "The printed material shall be entirely free of errors.",
            "The printed material shall be free of advertising.",
        ),
        (
            "The service desk shall fix all reported faults immediately.",
            "The service desk shall fix all reported faults within four hours.",
        ),
    ],
)
def test_no_delay_no_fault_and_every_case_at_once_are_absolutes(text: str, clean: str) -> None:
    assert "superlative" in rules_of(text)
    assert "superlative" not in rules_of(clean)


def test_som_helst_after_a_negation_widens_it_and_softens_nothing() -> None:
    assert "loophole" not in rules_of("Bussarna ska avgå utan någon som helst försening.")
    assert "loophole" in rules_of("Bussarna ska helst avgå från resecentrum.")


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Rapporten ska skrivas på engelska i den mån konsulten har möjlighet till det.",
            "Rapporten ska skrivas på engelska i den mån beställaren begär det.",
        ),
        (
            "Maten ska lagas på plats om inte entreprenören väljer annat.",
            "Maten ska lagas på plats i skolans kök.",
        ),
        (
            "Backups shall be kept for 90 days unless the provider chooses otherwise.",
            "Backups shall be kept for 90 days unless the authority requests deletion.",
        ),
        (
            "Staff shall wear uniforms to the extent the contractor is able to provide them.",
            "Staff shall wear uniforms provided by the contractor.",
        ),
    ],
)
def test_the_suppliers_own_ability_or_choice_is_a_loophole(text: str, clean: str) -> None:
    assert "loophole" in rules_of(text)
    assert "loophole" not in rules_of(clean)


def test_a_high_standard_compound_is_vague_and_a_defined_standard_is_not() -> None:
    assert "vague" in rules_of("The caterer shall serve high-standard meals in every school.")
    assert not rules_of("The caterer shall serve meals that follow the standard menu in Annex 3.")


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Anbudsgivaren ska bifoga en tidplan, en organisationsplan och en riskanalys.",
            "Anbudsgivaren ska bifoga en tidplan med minst tre delmål och en ansvarig.",
        ),
        (
            "Tenderers shall submit an implementation plan, references from two contracts and"
            " a quality manual.",
            "Tenderers shall submit a report with the number of visits, the waiting times and"
            " the complaints received.",
        ),
        (
            "Tenderers shall submit an implementation plan, references from two contracts and"
            " a quality manual.",
            "Tenderers shall submit their name, address and telephone number.",
        ),
    ],
)
def test_three_documents_handed_in_are_a_compound_and_one_documents_contents_are_not(
    text: str, clean: str
) -> None:
    assert "compound" in rules_of(text)
    assert "compound" not in rules_of(clean)


def test_a_list_marker_inside_quotation_marks_is_a_title_not_an_open_list() -> None:
    assert "open-ended" not in rules_of(
        "Leverantören ska hålla seminariet ”Arbetsmiljö – bl.a. stress och ergonomi” för"
        " högst 30 deltagare."
    )
    assert "open-ended" in rules_of(
        "Leverantören ska hålla seminarier om arbetsmiljö, bl.a. stress och ergonomi."
    )
    assert "open-ended" not in rules_of(
        'The supplier shall run the course "Procurement basics, e.g. tenders and contracts" for'
        " at most 20 people."
    )


def test_a_level_matching_a_collective_agreement_is_measured() -> None:
    assert "unmeasurable" not in rules_of(
        "Utföraren ska tillämpa arbetstider som högst motsvarar nivån i gällande"
        " branschkollektivavtal."
    )
    assert "unmeasurable" not in rules_of(
        "Wages shall at least correspond to the level in the national collective agreement."
    )
    assert "unmeasurable" in rules_of("Utföraren ska hålla en acceptabel ljudnivå i lokalerna.")


def test_a_technology_named_for_reaching_the_alarm_centre_is_a_solution() -> None:
    assert "solution" in rules_of("Brandlarmen ska larma larmcentralen via en inbyggd 5G-modul.")
    assert "solution" not in rules_of("Brandlarmen ska nå larmcentralen inom 60 sekunder.")
    assert "solution" in rules_of(
        "Förskolorna ska kopplas till stadsnätet med fiberoptiska kablar."
    )
    assert "solution" not in rules_of(
        "Förskolorna ska ha en uppkoppling om minst 500 Mbit/s i båda riktningar."
    )


# --- the eighth round: blind sets 6 and 7 tuned on -----------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Stolarna ska vara Svanenmärkta.", "Svanenmärkta"),
        ("Textilierna ska vara Oeko-Texmärkta.", "Oeko-Texmärkta"),
        ("Städtjänsten ska vara Nordencertifierad.", "Nordencertifierad"),
        (
            "The cleaning contractor shall hold Investors In People accreditation.",
            "Investors In People",
        ),
        ("The laboratory shall be Testmark Gold accredited before start.", "Testmark Gold"),
    ],
)
def test_a_label_written_as_a_compound_or_before_its_accreditation_is_a_standard(
    text: str, label: str
) -> None:
    assert words_of(text, "standard-equivalent") == [label]


@pytest.mark.parametrize(
    "text",
    [
        "Miljömärkta produkter ska väljas för alla städuppdrag.",
        "Stolarna ska vara Svanenmärkta eller ha likvärdig märkning.",
        "The laboratory shall hold accreditation from the national accreditation body.",
        "Staff shall hold the certification listed in Annex 2.",
    ],
)
def test_a_generic_label_word_or_a_label_with_its_equivalent_is_no_standard(text: str) -> None:
    assert "standard-equivalent" not in rules_of(text)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "The app shall log logins, searches, downloads and more during each session.",
            "The new buses shall be quieter, cleaner and more efficient for passengers.",
        ),
        (
            "Vi ska följa upp frånvaro, övertid, semester och mer för varje medarbetare.",
            "Fordonen ska vara tystare, renare och mer bränslesnåla än dagens.",
        ),
        (
            "The supplier shall deliver the goods, including but not confined to spare parts"
            " and manuals.",
            "Access to the building shall not be restricted to office hours.",
        ),
    ],
)
def test_a_list_left_open_in_the_middle_of_the_sentence_is_open_but_a_comparative_is_not(
    text: str, clean: str
) -> None:
    assert "open-ended" in rules_of(text)
    assert "open-ended" not in rules_of(clean)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Programvaran ska vara helt fri från kända sårbarheter.",
            "Lokalerna ska vara fria från asbest.",
        ),
        (
            "The software shall be completely free from known vulnerabilities at handover.",
            "The rooms shall be free from asbestos.",
        ),
        (
            "The service shall run with no downtime ever.",
            "No staff member shall enter the server room alone.",
        ),
        (
            "The booking system shall offer uninterrupted service to all schools.",
            "The heating shall run uninterrupted for 72 hours during the test.",
        ),
        (
            "Larmet ska ge avbrottsfri drift dygnet runt.",
            "Servern ska ha avbrottsfri kraftförsörjning i minst 30 minuter.",
        ),
        (
            "Inga avbrott i journalsystemet får någonsin förekomma.",
            "Inga avbrott i journalsystemet får pågå längre än 4 timmar.",
        ),
    ],
)
def test_a_promise_of_none_ever_is_an_absolute_but_a_bounded_one_is_not(
    text: str, clean: str
) -> None:
    assert "superlative" in rules_of(text)
    assert "superlative" not in rules_of(clean)


def test_without_undue_delay_is_a_time_without_a_value() -> None:
    assert "unmeasurable" in rules_of("Felanmälningar ska besvaras utan oskäligt dröjsmål.")
    assert "unmeasurable" in rules_of("Incidents shall be handled without unnecessary delay.")
    assert "unmeasurable" not in rules_of("Felanmälningar ska besvaras inom 2 timmar.")


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Gräset ska klippas varannan vecka i den mån väderleken medger.",
            "Uppgifterna ska lämnas ut i den mån lagen tillåter.",
        ),
        (
            "Deliveries shall take place on Mondays, weather permitting.",
            "Deliveries shall take place on Mondays between 07:00 and 10:00.",
        ),
        (
            "Windows shall be cleaned twice a year to the extent the contractor deems necessary.",
            "Windows shall be cleaned twice a year to the extent set out in Annex 4.",
        ),
    ],
)
def test_circumstances_or_the_suppliers_judgement_deciding_the_extent_are_loopholes(
    text: str, clean: str
) -> None:
    assert "loophole" in rules_of(text)
    assert "loophole" not in rules_of(clean)


def test_the_words_of_a_loophole_are_no_amount_left_unmeasured() -> None:
    assert rules_of("Arbetet ska utföras så långt tiden medger.") == {"loophole"}


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Traktorerna ska förses med spetsplog.", "winter"),
        ("The tractors shall be fitted with a salt spreader.", "winter"),
        ("Entreprenören ska borra två energibrunnar till 200 meters djup.", "heating"),
        ("Köket ska ha en tryckgryta om 40 liter.", "kitchen"),
        ("The kitchen shall be equipped with a tilting frying pan.", "kitchen"),
    ],
)
def test_winter_ploughs_boreholes_and_kitchen_pans_are_possible_solutions(
    text: str, area: str
) -> None:
    found = [finding for finding in check_text(text) if finding.rule == "solution"]
    assert len(found) == 1
    function = solution_area(area).function  # type: ignore[union-attr]
    assert function.sv in found[0].suggestion or function.en in found[0].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Gångbanorna ska vara snöfria senast kl. 07.00 när snödjupet överstiger 3 cm.",
        "Footpaths shall be ploughed within 4 hours when snow depth exceeds 5 cm.",
        "Menyn ska erbjuda en vegetarisk gryta varje dag.",
    ],
)
def test_clearing_stated_by_its_result_or_a_dish_is_no_solution(text: str) -> None:
    assert "solution" not in rules_of(text)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Bordet ska vara ergonomiskt utformat.",
            "Sängarna ska vara ergonomiskt ställbara, det vill säga höjden ska kunna ändras"
            " mellan 40 och 80 cm.",
        ),
        (
            "The chairs shall be ergonomically adjustable and robust.",
            "The chairs shall be ergonomically adjustable, i.e. the seat height shall be"
            " adjustable between 40 and 52 cm.",
        ),
        (
            "Paper shall be sustainable and carry a label.",
            "Paper shall carry the EU Ecolabel or an equivalent label certifying responsible"
            " forestry.",
        ),
        (
            "Kaffet ska vara hållbart odlat.",
            "Kaffet ska ha en märkning som intygar hållbar odling eller likvärdigt.",
        ),
    ],
)
def test_a_vague_word_defined_after_the_word_it_qualifies_or_by_a_label_is_not_vague(
    text: str, clean: str
) -> None:
    assert "vague" in rules_of(text)
    assert "vague" not in rules_of(clean)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Förbrukningsartiklar såsom handskar, sprutor och övriga artiklar ska levereras"
            " varje vecka.",
            "Förbrukningsartiklar såsom handskar och sprutor ska levereras varje vecka enligt"
            " bilaga 3.",
        ),
        (
            "Office supplies such as pens, paper, folders and other items shall be delivered"
            " monthly.",
            "Vehicles such as buses and coaches shall be parked in the depot overnight.",
        ),
        (
            "Office supplies such as pens, paper, folders and other items shall be delivered"
            " monthly.",
            "Cleaning of surfaces such as floors, windows and other surfaces listed in Annex 2"
            " shall be done weekly.",
        ),
    ],
)
def test_examples_ending_in_and_other_things_are_open_wherever_the_sentence_goes_on(
    text: str, clean: str
) -> None:
    assert "open-ended" in rules_of(text)
    assert "open-ended" not in rules_of(clean)


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("Kortläsarna ska vara från HID GLOBAL.", "HID GLOBAL"),
        ("Card readers shall be supplied by HID GLOBAL.", "HID GLOBAL"),
    ],
)
def test_a_name_of_several_words_in_capitals_after_from_is_a_maker(text: str, brand: str) -> None:
    assert words_of(text, "brand") == [brand]


@pytest.mark.parametrize(
    "text",
    [
        "Rapporten ska skickas från MSB till kommunen.",
        "Uppgifterna ska hämtas från SCB och SMHI varje månad.",
        "Datan ska hämtas från SCB SMHI och MSB.",
        "Lunchen ska serveras i Norra matsalen och i Östra skolans aula.",
    ],
)
def test_acronyms_of_authorities_and_named_buildings_are_no_brand(text: str) -> None:
    assert "brand" not in rules_of(text)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Konsulten ansvarar under projektet för projektering, upphandling, byggledning samt"
            " slutbesiktning.",
            "Entreprenören ansvarar under avtalstiden för städning av skolans lokaler.",
        ),
        (
            "The contractor shall be responsible throughout the renovation for demolition,"
            " design documents, electrical works and final inspection.",
            "The contractor shall be responsible during the contract for cleaning of the school"
            " premises.",
        ),
    ],
)
def test_a_responsibility_with_an_adverbial_before_its_list_is_compound(
    text: str, clean: str
) -> None:
    assert "compound" in rules_of(text)
    assert "compound" not in rules_of(clean)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        (
            "Leverantören ska vara certifierad enligt ISO 14001 och ha en miljöplan.",
            "Lokalen ska vara och förbli rökfri.",
        ),
        (
            "The supplier shall be registered for VAT and have a collective agreement.",
            "The supplier shall be registered for VAT.",
        ),
    ],
)
def test_what_the_subject_is_and_what_it_has_are_two_demands(text: str, clean: str) -> None:
    assert "compound" in rules_of(text)
    assert "compound" not in rules_of(clean)
