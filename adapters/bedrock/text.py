"""Words for the local models: tokens, a light stemmer, stopwords and a small table of synonyms."""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|[^\sA-Za-z0-9]")
_WORD = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her
    here hers herself him himself his i if in into is it its itself just me more most my myself no nor not now
    of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself yourselves s t don
    let also may might must shall us like get got go goes going want wants need needs tell know please use
    used using way ways something thing things way much many how one make makes made
    """.split()  # noqa: SIM905
)

# Words that mean the same thing in the questions people ask about services and products; each maps to a
# canonical word before stemming.
SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        [
            "cost",
            "costs",
            "pricing",
            "priced",
            "charge",
            "charged",
            "charges",
            "pay",
            "paid",
            "fee",
            "fees",
            "bill",
            "billed",
            "billing",
            "expense",
            "expensive",
            "cheap",
            "cheaply",
        ],
        "price",
    ),
    **dict.fromkeys(["inventory", "available", "availability", "supply", "stocked"], "stock"),
    **dict.fromkeys(["db", "datastore", "databases"], "database"),
    **dict.fromkeys(["latency", "quick", "quickly", "rapid", "speed", "speedy", "responsive"], "fast"),
    **dict.fromkeys(
        [
            "grow",
            "grows",
            "growing",
            "elastic",
            "elasticity",
            "expand",
            "expands",
            "scalable",
            "scalability",
            "load",
            "traffic",
            "spike",
            "spikes",
        ],
        "scale",
    ),
    **dict.fromkeys(["machine", "machines", "instance", "instances", "host", "hosts", "infrastructure"], "server"),
    **dict.fromkeys(["storage", "save", "saves", "persist", "hold", "holds", "keep", "keeps", "archive"], "store"),
    **dict.fromkeys(["file", "files", "blob", "blobs", "upload", "uploads", "uploaded"], "object"),
    **dict.fromkeys(["notify", "notification", "notifications", "alert", "alerts", "push", "fanout"], "publish"),
    **dict.fromkeys(
        ["cron", "timer", "periodic", "periodically", "recurring", "daily", "hourly", "nightly"], "schedule"
    ),
    **dict.fromkeys(["orchestrate", "orchestration", "orchestrates", "coordinate", "coordinates", "steps"], "workflow"),
    **dict.fromkeys(["query", "queries", "analyze", "analyse", "analytics", "sql"], "query"),
    **dict.fromkeys(
        [
            "login",
            "logins",
            "signin",
            "authenticate",
            "authentication",
            "identity",
            "identities",
            "users",
            "customer",
            "customers",
        ],
        "user",
    ),
    **dict.fromkeys(
        ["observe", "observability", "monitoring", "metric", "metrics", "log", "logs", "dashboard", "dashboards"],
        "monitor",
    ),
    **dict.fromkeys(
        ["permission", "permissions", "access", "policy", "policies", "role", "roles", "authorize"], "permission"
    ),
    **dict.fromkeys(["execute", "executes", "running", "runs", "invoke", "invokes"], "run"),
    **dict.fromkeys(
        ["scan", "scanned", "scans", "pdf", "pdfs", "form", "forms", "invoice", "invoices", "receipt", "receipts"],
        "document",
    ),
    **dict.fromkeys(["extract", "extracts", "extraction", "read", "reads", "ocr", "recognize"], "extract"),
    **dict.fromkeys(["realtime", "continuous", "continuously", "streaming", "streams", "clickstream"], "stream"),
    **dict.fromkeys(
        ["buffer", "buffers", "queued", "queues", "queueing", "decouple", "decoupled", "decouples"], "queue"
    ),
    **dict.fromkeys(["endpoint", "endpoints", "rest", "http", "https", "front"], "api"),
    **dict.fromkeys(["route", "routes", "routing", "bus", "buses"], "event"),
    **dict.fromkeys(["serverless", "managed"], "managed"),
    **dict.fromkeys(["ms", "milliseconds", "millisecond"], "millisecond"),
}


def tokens(text: str) -> list[str]:
    """Words, numbers and punctuation marks, roughly as a model's tokenizer counts them."""
    return _TOKEN.findall(text)


def token_count(text: str) -> int:
    """An estimate of a text's token count (about one per word or punctuation mark)."""
    return len(tokens(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer: scaling, scales and scaled all become `scal`."""
    w = word.lower()
    if len(w) <= 3:
        return w
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("sses", "ss")):
        if w.endswith(suffix):
            return w[: -len(suffix)] + replacement
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def canonical(word: str) -> str:
    """The stem of a word's canonical synonym."""
    lowered = word.lower().replace("’", "'")
    lowered = lowered.split("'", 1)[0]
    return stem(SYNONYMS.get(lowered, lowered))


# Phrases that mean one word.
PHRASES = {"how much": "price", "how many": "quantity", "in stock": "stock", "sign in": "login", "log in": "login"}
_PHRASE = re.compile(r"\b(" + "|".join(PHRASES) + r")\b")


def content_terms(text: str) -> list[str]:
    """The canonical stems of a text's words that carry meaning, in order."""
    lowered = _PHRASE.sub(lambda m: PHRASES[m.group(1)], text.lower().replace("-", " "))
    words = _WORD.findall(lowered)
    return [canonical(w) for w in words if w not in STOPWORDS and canonical(w) not in STOPWORDS]


def sentences(text: str) -> list[str]:
    """A text split after each full stop, question or exclamation mark."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


def squeeze(text: str) -> str:
    """A text with runs of white space folded to one space."""
    return " ".join(text.split())
