"""Reading the free-text cells of an AI use-case inventory.

Agencies type what they like into the vendor, bureau and system cells: lists
("CAIO, FAA, OST-R"), legal forms ("Salesforce, Inc. (Tableau)"), lead-ins
("These tools include, for example, …"), URLs, contract numbers, dates that
Excel made of a blank. These functions turn a cell into the names it holds and
the parts it drops, so the importer can report what it passed over instead of
inventing a vendor, a system or an office. Pure functions, no records: the
importer (``importers.formats.ai_inventory``) decides what they become.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

from graph.schema import Stage


class Names(NamedTuple):
    """The names a cell holds, and the parts of it that name nothing."""

    names: list[str]
    dropped: list[str]


def slug(text: str) -> str:
    """A readable id part: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120] or "x"


def squash(text: str) -> str:
    return " ".join(text.split())


# -- placeholders ---------------------------------------------------------------

PLACEHOLDER_WORDS = frozenset({
    "n/a", "na", "none", "no", "not available", "not applicable", "unknown", "tbd", "to be determined",
    "multiple", "various", "other", "redacted", "contractor teams", "third party vendor", "vendor proprietary",
    "ai model provider", "ai service provider", "no vendor involved", "internally created", "python", "nlp",
    "internal", "in-house", "in house", "open source", "open-source", "cots", "saas", "government",
})
PLACEHOLDER_PREFIXES = ("redacted", "in-house", "in house", "open source", "open-source",
                        "law enforcement sensitive", "not ", "n/a", "no vendor", "multiple", "various",
                        "deployed on multiple")
GENERIC_INTERNAL = frozenset({
    "internal", "internally", "developed", "development", "built", "build", "created", "staff", "team", "teams",
    "resources", "resource", "agency", "government", "use", "only", "tool", "tools", "solution", "solutions",
    "effort", "in", "house", "in-house", "by", "the", "and", "with", "of", "federal", "employees", "personnel",
})
"""Words of a cell that says "built in-house" and names nothing. A cell that
starts with "internal" but says more ("Internal Chatbot RASA") is a name."""


def is_placeholder(text: str) -> bool:
    """Whether a vendor or system cell names nothing (withheld, in-house, generic)."""
    value = squash(text.lower()).strip(" .;:-")
    if not value or value in PLACEHOLDER_WORDS or value.startswith(PLACEHOLDER_PREFIXES):
        return True
    if value.startswith("internal"):
        return set(re.findall(r"[a-z-]+", value)) <= GENERIC_INTERNAL
    return False


# -- lists of names ------------------------------------------------------------

ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Z0-9][A-Z0-9&.\-]{1,11}$")
TRAILING_ACRONYM = re.compile(r"\([A-Z0-9&.\-]{2,12}\)$")


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _is_list(pieces: list[str], oxford: bool, loose: bool = False) -> bool:
    """Whether comma-separated pieces are a list of names rather than one name
    with commas in it. A piece stands alone when it is an acronym ("FAA"),
    ends in its acronym ("Division of Enforcement (ENF)") or has two words or
    more ("NREL Azure System"); a single ordinary word ("Research",
    "Technical") is a piece of a longer name, unless most pieces are
    acronyms ("CAIO, FAA, Volpe, OCIO"). An Oxford "…, and X" with a single
    word in the series is one name ("Food, Nutrition, and Consumer Services")."""
    acronyms = sum(bool(ACRONYM.match(p)) for p in pieces)
    single = [p for p in pieces if len(p.split()) == 1 and not ACRONYM.match(p)]
    if oxford and single:
        return False
    if loose:  # products: "NVivo, Qualtrics, Credal" (capitalised single words are names)
        return all(p[:1].isupper() for p in single)
    return not single or (acronyms * 2 >= len(pieces) and all(p[:1].isupper() for p in single))


def _strip_and(part: str) -> str:
    return re.sub(r"^(and|&)\s+", "", part.strip(), flags=re.IGNORECASE).strip()


def split_names(text: str, loose: bool = False) -> list[str]:
    """The office or system names in one cell. Semicolons always separate;
    commas and line breaks separate only when every piece can stand alone as
    a name, so "Office of Career, Technical, and Adult Education" stays whole
    while "CAIO, FAA, OST-R" and "NREL Stratus System, NREL Azure System"
    are lists. "A … and A …" (two names with the same first word) is split too.
    ``loose`` (system cells) takes single capitalised words as names."""
    names: list[str] = []
    for chunk in _split_outside_brackets(text, ";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        raw = [squash(p) for p in _split_outside_brackets(chunk, ",\n")]
        oxford = any(re.match(r"(and|&)\s", p, re.IGNORECASE) for p in raw[1:])
        pieces = [p for p in map(_strip_and, raw) if p]
        if len(pieces) > 1 and _is_list(pieces, oxford, loose):
            found = pieces
        else:
            found = [squash(chunk).strip(" ,")]
        for name in found:
            names.extend(_split_same_prefix(name))
    return [name for name in names if name]


def _split_same_prefix(name: str) -> list[str]:
    parts = re.split(r"\s+and\s+", name)
    if len(parts) == 2 and all(len(p.split()) >= 2 for p in parts) and parts[0].split()[0] == parts[1].split()[0]:
        return parts
    return [name]


# -- vendors -------------------------------------------------------------------

URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s,;]+", re.IGNORECASE)
DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
CONTRACT_NUMBER = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{6,}\b|\b\d{7,}\b")
CONTRACT_WORDS = re.compile(
    r"\b(?:procurement instrument (?:id|identifier)[^:]*:|piid\s*:?|contract\s*(?:number|no\.?|#)\s*:?)",
    re.IGNORECASE)
LEAD_IN = re.compile(r"^[^(;]*?\b(?:for example|e\.g\.|such as|including|includes?)\b[\s,:]*", re.IGNORECASE)
LEGAL_FORM = re.compile(r"^(?:inc|llc|l\.l\.c|ltd|corp|corporation|co|plc|lp|llp)\.?(?:\s*\(.*\))?\.?$", re.IGNORECASE)
MAX_VENDOR_WORDS = 8
"""A "vendor" longer than this is a sentence about vendors, not a name."""


def split_vendors(text: str) -> Names:
    """Vendor names from a free-text cell. Split on commas, semicolons,
    slashes and line breaks outside brackets ("NEC (Nippon Electric Company)"
    stays whole); a legal form ("ServiceNow, Inc.", "Salesforce, Inc.
    (Tableau)") stays with its name; a lead-in ("These tools include, for
    example, …") is dropped and "A, B and C" gives three names. URLs,
    contract numbers, dates, placeholders and sentences are never vendors:
    they are returned as ``dropped``."""
    dropped: list[str] = []

    def drop(match: re.Match) -> str:
        dropped.append(match[0].strip())
        return ";"

    value = URL.sub(drop, text.replace("\t", " "))
    value = DATE.sub(drop, value)
    value = CONTRACT_WORDS.sub(";", value)
    value = CONTRACT_NUMBER.sub(drop, value)
    value = value.lstrip(" ,:")
    while (lead := LEAD_IN.match(value)) and len(value) - lead.end() > 2:
        if lead[0].strip(" ,:"):
            dropped.append(lead[0].strip(" ,:"))
        value = value[lead.end():].lstrip(" ,:")
    value = re.sub(r"(?<=\w)/(?=\w\b)|(?<=\b\w)/(?=\w)", "\u2044", value)  # "N/A", "I/O" stay whole
    names: list[str] = []
    parts = [squash(p.replace("\u2044", "/")) for p in _split_outside_brackets(value, ",;/\n")]
    parts = [_tidy(p) for p in parts]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        last = _strip_and(parts[-1])
        pieces = re.split(r"\s+and\s+", last)
        if len(pieces) == 2 and all(pieces) and not LEGAL_FORM.match(pieces[1]):
            parts[-1:] = pieces
    for part in parts:
        name = _strip_and(part)
        if LEGAL_FORM.match(name):
            if names:
                names[-1] = f"{names[-1]}, {name}"
            else:
                dropped.append(name)
            continue
        if (is_placeholder(name) or not re.search(r"[A-Za-z]", name) or name.startswith("(")
                or len(name.split()) > MAX_VENDOR_WORDS):
            dropped.append(name)
            continue
        names.append(name)
    return Names(names, [d for d in dropped if d])


def _tidy(part: str) -> str:
    """A vendor piece without stray punctuation; the dot of "Inc." stays."""
    part = part.strip(" :-")
    if part.endswith(".") and not re.search(r"\b(?:inc|ltd|corp|co|l\.l\.c|jr|sr)\.$", part, re.IGNORECASE):
        part = part.rstrip(". ")
    return part


def vendor_key(name: str) -> str:
    """Vendor ids ignore a trailing legal form and anything in brackets:
    "Salesforce, Inc. (Tableau)" and "Salesforce" are one vendor."""
    core = re.sub(r"\s*\(.*?\)", "", name)
    core = re.sub(r"[,\s]+(inc|llc|l\.l\.c|ltd|corp|corporation|co|plc|lp|llp)\.?$", "", core.strip(),
                  flags=re.IGNORECASE)
    return slug(core or name)


# -- stages, impact, dates -------------------------------------------------------

STAGE_PREFIXES: tuple[tuple[str, Stage], ...] = (
    ("pre-deployment", Stage.IDEA),
    ("pre deployment", Stage.IDEA),
    ("acquisition and/or development", Stage.IDEA),
    ("development and acquisition", Stage.IDEA),
    ("planned", Stage.IDEA),
    ("ideation", Stage.IDEA),
    ("pilot", Stage.PILOT),
    ("initiated", Stage.PILOT),
    ("initiation", Stage.PILOT),
    ("implementation", Stage.PILOT),
    ("deployed", Stage.PRODUCTION),
    ("operation and maintenance", Stage.PRODUCTION),
    ("in production", Stage.PRODUCTION),
    ("in mission", Stage.PRODUCTION),
    ("retired", Stage.RETIRED),
    ("research or administrative action complete", Stage.RETIRED),
)
"""Development stage (after any ``a)`` prefixes) → aimap stage. The 2025 values
and variants are the data dictionary's ``recoding_map``, which maps
"Initiated" to Pilot and "Operation and Maintenance" to Deployed; the 2024
and 2023 life-cycle stages follow it ("Implementation and Assessment" is a
pilot: deployed to be assessed). Pre-deployment ("in a development or
acquisition status") is before any pilot: aimap's idea."""


def stage_of(text: str) -> Stage | None:
    """The aimap stage of a development-stage cell; None when it is not one."""
    value = squash(text.lower())
    value = re.sub(r"^([a-d]\)\s*)+", "", value)
    for prefix, stage in STAGE_PREFIXES:
        if value.startswith(prefix):
            return stage
    return None


def high_impact_of(text: str) -> bool | None:
    """The high-impact flag of a cell. 2025: "a) High-impact" is true;
    "b) Presumed high-impact, but determined not" and "c) Not high-impact"
    false. 2024: rights- or safety-impacting (or both) is true, "Neither"
    false. Anything else (blank, "too new to assess") is unknown: None."""
    value = squash(text.lower())
    value = re.sub(r"^([a-d]\)\s*)+", "", value)
    if not value:
        return None
    if value.startswith(("presumed", "not high", "neither")) or value in {"no", "false"}:
        return False
    if value.startswith(("high-impact", "high impact", "rights", "safety", "both")) or value in {"yes", "true"}:
        return True
    return None


MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def parse_date(text: str) -> dt.date | None:
    """A date in any of the inventory's forms: ``2024-10-01 00:00:00``,
    ``10/1/2023``, ``01/01/2026 00:00:00``, ``01/2024``, ``Jul-25``, ``25-Mar`` (Excel's year-month). Dates
    without a day are the first of the month (US order: month first). A year
    alone is too vague to date a stage and gives None, as do impossible dates."""
    value = text.strip()
    patterns = (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", lambda m: (m[1], m[2], m[3])),
        (r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?", lambda m: (m[3], m[1], m[2])),
        (r"(\d{1,2})/(\d{4})", lambda m: (m[2], m[1], 1)),
        (r"([A-Za-z]{3})[a-z]*[-\s](\d{2}|\d{4})", lambda m: (_year(m[2]), MONTHS.get(m[1].lower(), 0), 1)),
        (r"(\d{2})-([A-Za-z]{3})[a-z]*", lambda m: (_year(m[1]), MONTHS.get(m[2].lower(), 0), 1)),
    )
    for pattern, parts in patterns:
        match = re.fullmatch(pattern, value)
        if match:
            try:
                year, month, day = (int(part) for part in parts(match))
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)
