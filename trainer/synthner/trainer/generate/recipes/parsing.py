"""Reading LLM output: numbered or bulleted lists, stray preambles, code fences, quotes."""

import re

# "1.", "2)", "(3)", "4:", "-", "*", "•", "Sentence 5:" at the start of a line.
ITEM_MARKER = re.compile(
    r"^\s*(?:\(?\d{1,3}[.):]|[-*•–]|(?:sentence|example)\s*\d{1,3}\s*[:.)-])\s*", re.IGNORECASE
)
FENCE = re.compile(r"^\s*```[a-z]*\s*$", re.IGNORECASE)
QUOTES = "\"'“”‘’"
SENTENCE_END = re.compile(r"[.!?…)\"'”’]\s*$")


def strip_quotes(text: str) -> str:
    """`"A sentence."` -> `A sentence.` (only when the quotes wrap the whole text)."""
    text = text.strip()
    if len(text) > 1 and text[0] in QUOTES and text[-1] in QUOTES:
        return text[1:-1].strip()
    return text


def parse_list(text: str) -> list[str]:
    """Items of a numbered or bulleted list; without markers, one item per non-empty line.
    Lines before the first marker (a preamble) are dropped; an unmarked line directly under
    an item continues it, one after a blank line (a closing remark) is dropped."""
    lines = [line for line in text.splitlines() if not FENCE.match(line)]
    marked = any(ITEM_MARKER.match(line) and line.strip() for line in lines)
    items: list[str] = []
    continues = False
    for line in lines:
        if not line.strip():
            continues = False
            continue
        match = ITEM_MARKER.match(line)
        if match or not marked:
            items.append(line[match.end() :] if match else line)
            continues = True
        elif continues and items:
            items[-1] += " " + line.strip()
    cleaned = (strip_quotes(" ".join(item.split())) for item in items)
    return [item for item in cleaned if item]


def clean_passage(text: str) -> str:
    """A free-text answer without code fences, a `Here is ...:` preamble or wrapping quotes."""
    lines = [line for line in text.strip().splitlines() if not FENCE.match(line)]
    if len(lines) > 1 and lines[0].rstrip().endswith(":") and len(lines[0]) < 120:
        lines = lines[1:]
    return strip_quotes("\n".join(lines).strip())


def ends_cleanly(text: str) -> bool:
    """Whether a text ends like a finished sentence (used to drop items cut by `max_tokens`)."""
    return bool(SENTENCE_END.search(text))
