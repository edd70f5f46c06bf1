"""Letters (文书): a letter model built from a case, templates under resources/letters, PDF and DOCX renderers.

``build_letter`` makes a ``Letter`` (plain data) from a case; ``app.letters.pdf.render_pdf`` and
``app.letters.docx.render_docx`` print it (only this package imports reportlab and python-docx, and
importing this package itself loads neither); ``missing_parts`` is the check before a letter is issued.
"""

from __future__ import annotations

from app.letters.build import WARNING_LABELS, build_letter
from app.letters.model import (
    KIND_LABELS,
    MISSING_PART_LABELS,
    Letter,
    LetterKind,
    Paragraph,
    Role,
    describe_missing,
    letter_from_dict,
    letter_to_dict,
    missing_parts,
)
from app.letters.templates import Templates

__all__ = [
    "ERROR_KINDS",
    "KIND_LABELS",
    "MISSING_PART_LABELS",
    "WARNING_LABELS",
    "Letter",
    "LetterKind",
    "Paragraph",
    "Role",
    "Templates",
    "build_letter",
    "describe_missing",
    "letter_from_dict",
    "letter_to_dict",
    "missing_parts",
]

# Kinds raised here (InputError / RuleError) besides the general ones (required, bad_choice,
# out_of_range, unreadable_file, bad_encoding) and app.law's (agency_incomplete …).
ERROR_KINDS: dict[str, str] = {
    "template_invalid": "a letter template cannot be used; field: 'file [block]'; params: reason "
    "(syntax | unknown_block | unknown_value | value_not_optional | value_required | missing_block | "
    "empty_block | duplicate_block | text_before_block | too_large | unknown_file), value or detail",
    "letter_needs_event": "the case has no event this letter states yet; params: event (a timeline type)",
    "letter_needs_receipt": "the case has no legal receipt date yet (awaiting confirmation, 条例第三十一条)",
    "extension_refused": "the extension event was not applied by the deadline engine; params: refusal",
    "consultation_party": "the consultation is of the other party kind; params: party, expected",
    "paragraph_locked": "a legal-basis, finding, data or remedy paragraph cannot be edited; params: index, role",
}
