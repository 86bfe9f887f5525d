"""The shapes the US federal AI use-case inventory is published in, and how
each one's columns map onto the data dictionary's machine names.

* **2025 consolidated** (OMB): machine headers (``agency``, ``id``,
  ``use_case_name``, ``development_stage`` …), UTF-8.
* **2025 agency template**: the same questions as an agency posts them, with
  human-readable question headers ("Stage of Development", "Vendor(s) Name"),
  section banner rows above the header, often Windows-1252, CSV or Excel, and
  columns an agency renamed or added ("VA Admin or Staff Office"). No agency
  column: the agency is read from the use-case ids, e-mail domains or the
  file name.
* **2024 consolidated**: other questions and columns ("Agency Abbreviation",
  "Bureau", "Is the AI use case rights-impacting, safety-impacting, both, or
  neither?"), no use-case id, Windows-1252.
* **2023 consolidated**: "Agency", "Office", "Use Case Name", "Use Case ID",
  "Summary of Use Case", "Development Stage" (built from its published
  description; no copy was at hand to check it against).

The question texts are the data dictionary's ``excel_header`` values
(``data_dictionary.json`` of the 2025 inventory), kept here so that detection
needs no file beside the one imported. Headers are compared after folding
case, punctuation, line breaks and the "Practice: …" notes, and then by
similarity, so small wording changes still map; a column that maps to nothing
is reported, never fatal.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

TEMPLATE_QUESTIONS: dict[str, tuple[str, ...]] = {
    "id": ("Use Case ID [Agency Abbrev.] – [#]", "Use Case ID"),
    "use_case_name": ("Use Case Name",),
    "agency_bureau": ("Bureau/Component", "VA Admin or Staff Office"),
    "contact_email": ("Email Address",),
    "is_withheld": ("Should this AI use case be withheld from public reporting?",),
    "development_stage": ("Stage of Development", "Development Stage"),
    "is_high_impact": ("Is the AI use case high-impact?", "High-Impact Status"),
    "HI_justification": ("Justification",),
    "topic_area": ("Use Case Topic Area", "Topic Area"),
    "classification": ("AI Classification", "AI Tech Classification"),
    "problem_solved": ("What problem is the AI intended to solve?", "Problem to be Solved"),
    "benefits": ("What are the expected benefits and positive outcomes from the AI for an agency’s mission "
                 "and/or the general public?", "Expected Benefits"),
    "system_outputs": ("Describe the AI system’s outputs.", "AI System Outputs"),
    "operational_date": ("Date when AI use case became operational or the pilot’s start date",),
    "contracting_usage": ("Was the system involved in this use case purchased from a vendor or developed under "
                          "contract(s) or in-house?", "Development Type"),
    "vendor_name": ("Vendor(s) Name",),
    "have_ato": ("Does this AI use case have an associated Authorization to Operate (ATO)?",),
    "system_name_ato": ("System(s) Name",),
    "data_description": ("Describe any data used to train, fine-tune, and/or evaluate performance of the "
                         "model(s) used in this use case.",),
    "link_to_data": ("If the data is required to be publicly disclosed as an open government data asset, "
                     "provide a link to the entry on the Federal Data Catalog.", "Federal Data Catalog Link"),
    "has_pii": ("Does this AI use case involve personally identifiable information (PII) that is maintained "
                "by the agency?",),
    "pia_url": ("If publicly available, provide the link to the AI use case’s associated Privacy Impact "
                "Assessment (PIA).",),
    "demographic_features": ("Which, if any, demographic variables does the AI use case explicitly use as "
                             "model features?",),
    "has_custom_code": ("Does this project include custom-developed code?", "Custom-Developed Code?"),
    "code_url": ("If the code is open source, provide the link for the publicly available source code.",
                 "Public Open Source Link"),
    "hi_testing_conducted": ("Has pre-deployment testing been conducted for this AI use case?",),
    "hi_assessment_completed": ("Has an AI impact assessment been completed for this AI use case?",),
    "hi_potential_impacts": ("What are the potential impacts of using the AI for this particular use case and "
                             "how were they identified?",),
    "hi_independent_review": ("Has as independent review of the AI use case been conducted?",),
    "hi_ongoing_monitoring": ("Is there a process to conduct ongoing monitoring to identify any adverse impacts "
                              "to the performance and security of the AI functionality, as well as to privacy, "
                              "civil rights, and civil liberties?",),
    "hi_training_established": ("Has the agency established sufficient and periodic training for operators of "
                                "the AI to interpret and act on the its output and managed associated risks?",),
    "hi_failsafe_presence": ("Does this AI use case have an appropriate fail-safe that minimizes the risk of "
                             "significant harm?",),
    "hi_appeal_process": ("Is there an established appeal process in the event that an impacted individual would "
                          "like to appeal or contest the AI system’s outcome?",),
    "hi_public_consultation": ("What steps has the agency taken to consult and incorporate feedback from end users "
                               "of this AI use case and the public?",),
}
"""Machine name → the template's question texts (and renamings seen in agency files)."""

MACHINE_NAMES = frozenset({"agency", "agency_name", *TEMPLATE_QUESTIONS})

CONSOLIDATED_2024: dict[str, tuple[str, ...]] = {
    "use_case_name": ("Use Case Name",),
    "agency_name": ("Agency",),
    "agency": ("Agency Abbreviation",),
    "agency_bureau": ("Bureau",),
    "topic_area": ("Use Case Topic Area",),
    "benefits": ("What is the intended purpose and expected benefits of the AI?",),
    "system_outputs": ("Describe the AI system’s outputs.",),
    "development_stage": ("Stage of Development",),
    "is_high_impact": ("Is the AI use case rights-impacting, safety-impacting, both, or neither?",),
    "date_initiated": ("Date Initiated",),
    "date_development": ("Date when Acquisition and/or Development began",),
    "operational_date": ("Date Implemented",),
    "date_retired": ("Date Retired",),
    "contracting_usage": ("Was the AI system involved in this use case developed (or is it to be developed) "
                          "under contract(s) or in-house?",),
    "piid": ("Provide the Procurement Instrument Identifier(s) (PIID) of the contract(s) used.",),
    "have_ato": ("Does this AI use case have an associated Authority to Operate (ATO) for an AI system?",),
    "system_name_ato": ("System Name",),
}
"""The 2024 consolidated inventory's columns aimap reads; it has no use-case
id, no vendor and no contact. Its other questions (2024's risk practices) are
passed over, and counted in the report."""

CONSOLIDATED_2023: dict[str, tuple[str, ...]] = {
    "agency_name": ("Agency",),
    "agency_bureau": ("Office", "Bureau"),
    "use_case_name": ("Use Case Name", "Title"),
    "id": ("Use Case ID",),
    "problem_solved": ("Summary of Use Case",),
    "development_stage": ("Development Stage", "Stage of Development"),
    "classification": ("Techniques",),
    "contact_email": ("Contact Email", "Contact"),
}


@dataclass(frozen=True)
class Shape:
    """One published shape: its name, its column texts, and what marks it."""

    name: str
    columns: dict[str, tuple[str, ...]]
    markers: frozenset[str]
    """Machine names every file of this shape maps."""
    year: int
    """The inventory year: its stage observations date to the year's end unless
    the import gives ``--seen-at``."""
    has_agency: bool = True


SHAPES: tuple[Shape, ...] = (
    Shape("2025 consolidated inventory", {name: (name,) for name in MACHINE_NAMES},
          frozenset({"agency", "id", "use_case_name", "development_stage"}), 2025),
    Shape("2024 consolidated inventory", CONSOLIDATED_2024,
          frozenset({"agency", "agency_name", "use_case_name", "development_stage", "is_high_impact"}), 2024),
    Shape("2023 consolidated inventory", CONSOLIDATED_2023,
          frozenset({"agency_name", "agency_bureau", "use_case_name", "problem_solved", "development_stage"}), 2023),
    Shape("2025 agency template", TEMPLATE_QUESTIONS,
          frozenset({"use_case_name", "development_stage", "agency_bureau"}), 2025, has_agency=False),
)

HEADER_ROWS_SEARCHED = 10
"""Banner rows an agency may put above the header."""
SIMILARITY = 0.88


def fold(text: str) -> str:
    """A header as compared: ASCII, lower case, words only, without the
    template's "Practice: …" notes. Mis-encoded characters ("agency¡s") fold
    like the right ones ("agency’s")."""
    text = re.split(r"\b(?:sub\s*practice|practice)\b\s*:?", str(text), maxsplit=1, flags=re.IGNORECASE)[0]
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(w for w in words if len(w) > 1 or w.isdigit() or w in {"a", "i"})


@dataclass
class Mapping:
    """A file's header row mapped: the column index of each machine name."""

    shape: Shape
    header_row: int
    columns: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    """Headers mapped by similarity rather than exactly: header → machine name."""


def _map_header(shape: Shape, header: list[str]) -> Mapping:
    exact = {fold(text): name for name, texts in shape.columns.items() for text in texts}
    mapping = Mapping(shape, 0)
    for index, cell in enumerate(header):
        if not str(cell or "").strip():
            continue
        key = fold(cell)
        name = exact.get(key)
        if name is None and len(key) > 12:
            close = difflib.get_close_matches(key, list(exact), n=1, cutoff=SIMILARITY)
            if close:
                name = exact[close[0]]
                mapping.renamed[" ".join(str(cell).split())] = name
        if name is None or name in mapping.columns:
            mapping.unknown.append(" ".join(str(cell).split()))
        else:
            mapping.columns[name] = index
    return mapping


def detect(rows: list[list[str]]) -> Mapping | None:
    """The shape and header row of a table, from its first rows: the first
    row that maps every marker of a shape (shapes tried most specific first)."""
    for number, row in enumerate(rows[:HEADER_ROWS_SEARCHED]):
        for shape in SHAPES:
            mapping = _map_header(shape, row)
            if shape.markers <= set(mapping.columns):
                mapping.header_row = number
                return mapping
    return None


AGENCIES: dict[str, str] = {
    "CFPB": "Consumer Financial Protection Bureau", "CFTC": "Commodity Futures Trading Commission",
    "DHS": "Department of Homeland Security", "DOC": "Department of Commerce", "DOE": "Department of Energy",
    "DOI": "Department of the Interior", "DOJ": "Department of Justice", "DOL": "Department of Labor",
    "DOT": "Department of Transportation", "EAC": "Election Assistance Commission",
    "ED": "Department of Education", "EEOC": "Equal Employment Opportunity Commission",
    "EPA": "Environmental Protection Agency", "FCA": "Farm Credit Administration",
    "FCC": "Federal Communications Commission", "FDIC": "Federal Deposit Insurance Corporation",
    "FERC": "Federal Energy Regulatory Commission", "FHFA": "Federal Housing Finance Agency",
    "FRB": "Federal Reserve Board", "FTC": "Federal Trade Commission", "GSA": "General Services Administration",
    "HHS": "Department of Health and Human Services", "HUD": "Department of Housing and Urban Development",
    "NARA": "National Archives and Records Administration",
    "NASA": "National Aeronautics and Space Administration", "NCUA": "National Credit Union Administration",
    "NEA": "National Endowment for the Arts", "NIGC": "National Indian Gaming Commission",
    "NRC": "Nuclear Regulatory Commission", "NSF": "National Science Foundation",
    "NTSB": "National Transportation Safety Board", "OPM": "Office of Personnel Management",
    "OSC": "Office of Special Counsel", "OSHRC": "Occupational Safety and Health Review Commission",
    "PBGC": "Pension Benefit Guaranty Corporation", "SBA": "Small Business Administration",
    "SEC": "Securities and Exchange Commission", "SSA": "Social Security Administration",
    "STATE": "Department of State", "STB": "Surface Transportation Board", "TREAS": "Department of the Treasury",
    "TVA": "Tennessee Valley Authority", "USAID": "United States Agency for International Development",
    "USDA": "Department of Agriculture", "VA": "Department of Veterans Affairs",
}
"""Agency abbreviations as the consolidated inventories spell them, with names."""

OTHER_SPELLINGS = {
    "DOS": "STATE", "TREASURY": "TREAS", "INTERIOR": "DOI", "ENERGY": "DOE", "USDOJ": "DOJ", "ARTS": "NEA",
    "VETERANS": "VA",
}
"""Other ways files, ids and e-mail domains name an agency."""


def agency_from(token: str) -> str | None:
    """The agency abbreviation a token stands for (an id prefix, a bureau
    prefix, a domain label, a word of the file name), or None."""
    key = token.strip().upper()
    key = OTHER_SPELLINGS.get(key, key)
    return key if key in AGENCIES else None


def infer_agency(file_name: str, ids: list[str], bureaus: list[str], emails: list[str]) -> str | None:
    """The agency that published a template file, which has no agency column:
    the most common known prefix of its use-case ids ("DOI-0270"), else of its
    bureaus ("HHS/ACF"), else its e-mail domains, else a word of its file name;
    failing all that, the one prefix every id shares ("XA-1", "XA-2")."""
    for values, pattern in ((ids, r"^\s*([A-Za-z]+)\s*[-–¤_ ]"), (bureaus, r"^\s*([A-Za-z]+)\s*/"),
                            (emails, r"@(?:[\w-]+\.)*?([\w-]+)\.(?:gov|mil)\b")):
        counts: dict[str, int] = {}
        for value in values:
            match = re.search(pattern, value or "")
            agency = agency_from(match[1]) if match else None
            if agency:
                counts[agency] = counts.get(agency, 0) + 1
        if counts:
            return max(sorted(counts), key=counts.__getitem__)
    for word in re.findall(r"[A-Za-z]+", file_name):
        agency = agency_from(word)
        if agency:
            return agency
    for word in re.findall(r"[A-Za-z]+", file_name):  # "2025doigovfinal…": a known agency glued to other words
        for candidate in sorted({*AGENCIES, *OTHER_SPELLINGS}, key=len, reverse=True):
            if len(candidate) >= 3 and word.upper().startswith(candidate):
                return agency_from(candidate)
    prefixes = {match[1].upper() for value in ids if (match := re.match(r"^\s*([A-Za-z]{2,12})\s*[-–_]", value or ""))}
    if len(prefixes) == 1 and all(re.match(r"^\s*[A-Za-z]", value) for value in ids if value.strip()):
        return prefixes.pop()  # an agency this table does not know, but every id names it
    return None
